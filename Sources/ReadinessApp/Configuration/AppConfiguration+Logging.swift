import BufferedLog

extension AppConfiguration {
    /// `READINESS_LOG_FORMAT` (text or json) and `READINESS_LOG_FILE` (a path; unset, empty or
    /// `-` for standard error).
    mutating func readLogSettings(_ environment: [String: String]) throws {
        if let value = environment["READINESS_LOG_FORMAT"] {
            guard let format = LogSettings.format(parsing: value) else {
                throw ConfigurationError(
                    variable: "READINESS_LOG_FORMAT", detail: "expected one of \(LogSettings.formatChoices), got '\(value)'")
            }
            log.format = format
        }
        if let value = environment["READINESS_LOG_FILE"] { log.destination = LogSettings.destination(parsing: value) }
    }
}
