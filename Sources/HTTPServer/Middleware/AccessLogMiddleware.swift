import Logging
import Sockets
import SystemClock

/// One log line per request: method, path (without the query), status, duration and request
/// id. Never headers (they carry `Authorization` and cookies), never bodies, never the query
/// (it may carry tokens).
public struct AccessLogMiddleware: Middleware {
    let logger: Logger
    let level: Logger.Level
    /// Writes the line instead of `logger` when set: same line, no metadata dictionary.
    let writer: (any AccessLogWriter)?
    /// Decided once: this copy of the logger keeps the level it had here (a handler that
    /// changes its own level later is not followed). Asking the handler on every request cost
    /// an existential copy and call, even with the access log filtered out.
    private let isEnabled: Bool

    public init(logger: Logger, level: Logger.Level = .info, writer: (any AccessLogWriter)? = nil) {
        self.logger = logger
        self.level = level
        self.writer = writer
        isEnabled = logger.logLevel <= level
    }

    public func complete(_ request: HTTPRequest, context: RequestContext, response: inout HTTPResponse) {
        guard isEnabled else { return }
        let elapsed = MonotonicTime.now().duration(since: context.startTime)
        let entry = AccessLogEntry(
            method: request.method.rawValue, path: request.path, status: response.status.code,
            durationMicros: elapsed.nanosecondsClamped / 1000, requestID: context.requestID)
        if let writer {
            writer.write(entry, level: level)
        } else {
            logger.log(level: level, "request", metadata: Self.metadata(of: entry))
        }
    }

    /// The line's fields as swift-log metadata, for a logger without a faster way in.
    public static func metadata(of entry: AccessLogEntry) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "method": .string(entry.method),
            "path": .string(entry.path),
            "status": .string(String(entry.status)),
            "duration_ms": .string(milliseconds(micros: entry.durationMicros)),
        ]
        if !entry.requestID.isEmpty { metadata["request-id"] = .string(entry.requestID) }
        return metadata
    }

    /// `12.345` from 12,345 µs, written straight into a small string: the interpolation it
    /// replaces built three strings per request.
    static func milliseconds(micros: UInt64) -> String {
        var whole = micros / 1000
        var digits = 1
        while whole >= 10 {
            whole /= 10
            digits += 1
        }
        return String(unsafeUninitializedCapacity: digits + 4) { buffer in
            var value = micros
            var position = digits + 3
            while position >= 0 {
                if position == digits {
                    buffer[position] = UInt8(ascii: ".")
                } else {
                    buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                position -= 1
            }
            return digits + 4
        }
    }
}
