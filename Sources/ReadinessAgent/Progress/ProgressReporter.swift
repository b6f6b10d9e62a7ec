import Foundation

/// Progress on stderr: one line per probe outcome, and a live counter line (rewritten in
/// place) while a long probe runs, only when stderr is a terminal. Lines name hosts,
/// figures and errors; never the token or a result body.
///
/// Stateless, so probes on many threads share it freely: on a terminal every line starts by
/// clearing whatever counter was showing (harmless when none was), and each line goes out in
/// one `write`, which the kernel does not interleave with another's for lines this short.
public struct ProgressReporter: Sendable {
    private let quiet: Bool
    private let isTerminal: Bool
    private let write: @Sendable (String) -> Void

    public init(quiet: Bool, isTerminal: Bool = isatty(STDERR_FILENO) == 1, write: @escaping @Sendable (String) -> Void = ProgressReporter.standardError) {
        self.quiet = quiet
        self.isTerminal = isTerminal
        self.write = write
    }

    public static let standardError: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// ANSI: carriage return, then erase to the end of the line.
    private static let clearLine = "\r\u{1B}[K"

    /// A finished step: `tcp app.sococo.com:443  reachable 21.4 ms`.
    public func line(_ probe: String, _ outcome: String) {
        guard !quiet else { return }
        write((isTerminal ? Self.clearLine : "") + Self.pad(probe) + " " + outcome + "\n")
    }

    /// A counter for a running step (`latency media.chime.aws 12/50`), terminals only.
    public func live(_ probe: String, _ counter: String) {
        guard !quiet, isTerminal else { return }
        write(Self.clearLine + Self.pad(probe) + " " + counter)
    }

    private static func pad(_ text: String) -> String {
        text.count >= 34 ? text : text + String(repeating: " ", count: 34 - text.count)
    }
}
