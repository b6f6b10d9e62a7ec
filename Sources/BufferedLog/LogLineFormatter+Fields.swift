import Logging

extension LogLineFormatter {
    /// The line of an event whose metadata is `fields`, given in key order: the bytes
    /// `line(time:level:label:message:metadata:)` gives for the same pairs as `.string` values,
    /// without building, hashing or sorting a dictionary.
    public func line(
        time: WallTime, level: Logger.Level, label: String, message: String, orderedFields fields: [LogField]
    ) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        appendLine(time: time, level: level, label: label, message: message, orderedFields: fields, to: &buffer)
        return buffer
    }

    /// Hands `body` the same line, written in stack memory: no allocation at all unless the
    /// line is longer than `stackBytes` (then it is written into an array instead).
    func withLine(
        time: WallTime, level: Logger.Level, label: String, message: String, orderedFields fields: [LogField],
        _ body: (UnsafeRawBufferPointer) -> Void
    ) {
        let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.stackBytes) { memory in
            var line = FixedLine(memory)
            appendLine(time: time, level: level, label: label, message: message, orderedFields: fields, to: &line)
            guard !line.overflowed else { return false }
            body(line.bytes)
            return true
        }
        guard !written else { return }
        line(time: time, level: level, label: label, message: message, orderedFields: fields).withUnsafeBytes(body)
    }

    /// Room for an access-log line with a path of several hundred bytes.
    static let stackBytes = 1024

    private func appendLine<Bytes: ByteAppending>(
        time: WallTime, level: Logger.Level, label: String, message: String, orderedFields fields: [LogField],
        to buffer: inout Bytes
    ) {
        assert(zip(fields, fields.dropFirst()).allSatisfy { $0.key.description < $1.key.description },
               "fields must come in key order, as the metadata path sorts them")
        switch format {
        case .text:
            Self.appendTextHead(time: time, level: level, label: label, message: message, to: &buffer)
            for field in fields {
                buffer.append(UInt8(ascii: " "))
                buffer.append(field.key)
                buffer.append(UInt8(ascii: "="))
                field.value.append(to: &buffer) { text, buffer in Self.appendTextValue(text, to: &buffer) }
            }
        case .json:
            Self.appendJSONHead(time: time, level: level, label: label, message: message, to: &buffer)
            if !fields.isEmpty {
                buffer.append(",\"metadata\":{")
                for (index, field) in fields.enumerated() {
                    if index > 0 { buffer.append(UInt8(ascii: ",")) }
                    buffer.append(UInt8(ascii: "\""))
                    buffer.append(field.key)
                    buffer.append("\":")
                    if field.value.isNumber { buffer.append(UInt8(ascii: "\"")) }
                    field.value.append(to: &buffer) { text, buffer in Self.appendJSONString(text, to: &buffer) }
                    if field.value.isNumber { buffer.append(UInt8(ascii: "\"")) }
                }
                buffer.append(UInt8(ascii: "}"))
            }
            buffer.append(UInt8(ascii: "}"))
        }
        buffer.append(UInt8(ascii: "\n"))
    }
}
