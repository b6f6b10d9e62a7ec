import Logging

extension LogLineFormatter {
    /// The line of an event whose metadata is `fields`, given in key order: the bytes
    /// `line(time:level:label:message:metadata:)` gives for the same pairs as `.string` values,
    /// without building, hashing or sorting a dictionary.
    public func line(
        time: WallTime, level: Logger.Level, label: String, message: String, orderedFields fields: [LogField]
    ) -> [UInt8] {
        assert(zip(fields, fields.dropFirst()).allSatisfy { Self.key($0.key) < Self.key($1.key) },
               "fields must come in key order, as the metadata path sorts them")
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        switch format {
        case .text:
            appendText(time: time, level: level, label: label, message: message, metadata: [:], to: &buffer)
            for field in fields {
                buffer.append(UInt8(ascii: " "))
                buffer.append(field.key)
                buffer.append(UInt8(ascii: "="))
                field.value.append(to: &buffer) { text, buffer in Self.appendTextValue(text, to: &buffer) }
            }
        case .json:
            appendJSON(time: time, level: level, label: label, message: message, metadata: [:], to: &buffer)
            guard !fields.isEmpty else { break }
            buffer.removeLast()  // the closing brace: the fields go in before it
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
            buffer.append("}}")
        }
        buffer.append(UInt8(ascii: "\n"))
        return buffer
    }

    private static func key(_ text: StaticString) -> String { text.description }
}
