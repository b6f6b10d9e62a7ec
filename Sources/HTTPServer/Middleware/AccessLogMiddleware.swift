import Logging
import Sockets

/// One log line per request: method, path (without the query), status, duration and request
/// id. Never headers (they carry `Authorization` and cookies), never bodies, never the query
/// (it may carry tokens).
public struct AccessLogMiddleware: Middleware {
    let logger: Logger
    let level: Logger.Level
    /// Decided once: this copy of the logger keeps the level it had here (a handler that
    /// changes its own level later is not followed). Asking the handler on every request cost
    /// an existential copy and call, even with the access log filtered out.
    private let isEnabled: Bool

    public init(logger: Logger, level: Logger.Level = .info) {
        self.logger = logger
        self.level = level
        isEnabled = logger.logLevel <= level
    }

    public func complete(_ request: HTTPRequest, context: RequestContext, response: inout HTTPResponse) {
        guard isEnabled else { return }
        let elapsed = MonotonicTime.now().duration(since: context.startTime)
        let micros = elapsed.nanosecondsClamped / 1000
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "path": .string(request.path),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .string("\(micros / 1000).\(String(micros % 1000 + 1000).dropFirst())"),
        ]
        if !context.requestID.isEmpty { metadata["request-id"] = .string(context.requestID) }
        logger.log(level: level, "request", metadata: metadata)
    }
}
