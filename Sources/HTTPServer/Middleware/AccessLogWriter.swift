import Logging

/// What the access log says of one request, handed to an ``AccessLogWriter`` as plain values.
public struct AccessLogEntry: Sendable {
    public let method: String
    /// Without the query (it may carry tokens).
    public let path: String
    public let status: Int
    public let durationMicros: UInt64
    /// Empty when the request has none.
    public let requestID: String

    public init(method: String, path: String, status: Int, durationMicros: UInt64, requestID: String) {
        self.method = method
        self.path = path
        self.status = status
        self.durationMicros = durationMicros
        self.requestID = requestID
    }
}

/// A way to write access-log lines without swift-log's metadata dictionary, for a log that can
/// take the fields directly (the service's buffered log). ``AccessLogMiddleware`` uses it when
/// given one; the line must read as the `Logger` path's would.
public protocol AccessLogWriter: Sendable {
    func write(_ entry: AccessLogEntry, level: Logger.Level)
}
