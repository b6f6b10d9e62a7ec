/// The log's format and destination, from `READINESS_LOG_FORMAT` and `READINESS_LOG_FILE`
/// (the level stays with the app's configuration, which every command reads).
public struct LogSettings: Sendable, Equatable {
    public var format: LogFormat = .text
    public var destination: LogDestination = .standardError

    public init(format: LogFormat = .text, destination: LogDestination = .standardError) {
        self.format = format
        self.destination = destination
    }

    /// The spellings `--log-format` and `READINESS_LOG_FORMAT` accept; nil for anything else.
    public static func format(parsing text: String) -> LogFormat? {
        LogFormat(rawValue: text.lowercased())
    }

    /// A file path, or `-` / `stderr` / empty for standard error.
    public static func destination(parsing text: String) -> LogDestination {
        switch text {
        case "", "-", "stderr": .standardError
        default: .file(path: text)
        }
    }

    public static let formatChoices = LogFormat.allCases.map(\.rawValue).joined(separator: ", ")
}

extension LogSettings {
    /// The command line's `--log-format` and `--log-file` on top of the environment's (nil keeps
    /// what is set).
    public mutating func override(format: String?, file: String?) throws(LogSettingsError) {
        if let format {
            guard let parsed = Self.format(parsing: format) else {
                throw LogSettingsError(description: "--log-format: expected one of \(Self.formatChoices), got '\(format)'")
            }
            self.format = parsed
        }
        if let file { destination = Self.destination(parsing: file) }
    }
}

/// A log setting that cannot be used, in words that name the option.
public struct LogSettingsError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
