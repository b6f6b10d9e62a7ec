import BufferedLog
import HTTPServer
import Logging

/// The access log written straight into the process's buffered log: the fields in key order,
/// no metadata dictionary (``LogField`` says what that saves). Only for a handler that adds no
/// metadata of its own, since this path does not merge any.
struct BufferedAccessLog: AccessLogWriter {
    let output: BufferedLogOutput
    let label: String

    /// The fast path for `logger`, when its handler is the buffered log without metadata.
    init?(logger: Logger) {
        guard let handler = logger.handler as? BufferedLogHandler, handler.metadata.isEmpty,
              handler.metadataProvider == nil else { return nil }
        output = handler.output
        label = handler.label
    }

    func write(_ entry: AccessLogEntry, level: Logger.Level) {
        // In key order, as the metadata path sorts them.
        var fields: [LogField] = []
        fields.reserveCapacity(5)
        fields.append(LogField("duration_ms", .thousandths(entry.durationMicros)))
        fields.append(LogField("method", .text(entry.method)))
        fields.append(LogField("path", .text(entry.path)))
        if !entry.requestID.isEmpty { fields.append(LogField("request-id", .text(entry.requestID))) }
        fields.append(LogField("status", .integer(entry.status)))
        output.write(level: level, label: label, message: "request", orderedFields: fields)
    }
}
