#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written by appending whole byte batches: standard error, or a file opened for
/// appending (created if missing). The log writer's sink; its descriptor never leaves this type.
///
/// `@unchecked Sendable`: it holds only an immutable descriptor, and `write(2)` with `O_APPEND`
/// is safe from any thread. One writer thread uses it in practice.
public final class OutputFile: @unchecked Sendable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// The path opened, or "stderr".
    public let name: String

    private init(descriptor: Int32, ownsDescriptor: Bool, name: String) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.name = name
    }

    /// The process's standard error (never closed by this type).
    public static func standardError() -> OutputFile {
        OutputFile(descriptor: STDERR_FILENO, ownsDescriptor: false, name: "stderr")
    }

    /// Opens `path` for appending, creating it (mode 0640: logs are not for every user) when
    /// missing. `O_APPEND` keeps lines whole when logrotate's copytruncate or another process
    /// appends to the same file.
    public init(appendingTo path: String) throws(SocketError) {
        let flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC
        let opened = open(path, flags, mode_t(0o640))
        guard opened >= 0 else { throw SocketError("open \(path)") }
        descriptor = opened
        ownsDescriptor = true
        name = path
    }

    deinit {
        if ownsDescriptor { _ = close(descriptor) }
    }

    /// Writes all of `bytes`, retrying after a partial write or an interrupted call.
    public func write(_ bytes: [UInt8]) throws(SocketError) {
        let failure: SocketError? = bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return nil }
            var offset = 0
            while offset < raw.count {
                #if canImport(Glibc)
                let written = Glibc.write(descriptor, base + offset, raw.count - offset)
                #else
                let written = Darwin.write(descriptor, base + offset, raw.count - offset)
                #endif
                if written < 0 {
                    if errno == EINTR { continue }
                    return SocketError("write \(name)")
                }
                offset += written
            }
            return nil
        }
        if let failure { throw failure }
    }
}
