/// Where log lines go (`READINESS_LOG_FILE`): standard error unless a file is named.
public enum LogDestination: Sendable, Equatable {
    case standardError
    /// Appended to; created when missing.
    case file(path: String)
}
