import Logging

extension LogLineFormatter {
    /// `2026-12-05T02:09:29.123Z info readiness: request method=GET path=/healthz status=200`:
    /// fixed fields first, then `key=value` pairs by key; a value with a space, quote, `=` or
    /// control character is written as a quoted, escaped string.
    func appendText(
        time: WallTime, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata,
        to buffer: inout [UInt8]
    ) {
        Self.appendTextHead(time: time, level: level, label: label, message: message, to: &buffer)
        Self.forEachSorted(metadata) { key, value in
            buffer.append(UInt8(ascii: " "))
            Self.appendEscaped(key, to: &buffer)
            buffer.append(UInt8(ascii: "="))
            switch value {
            case .string(let text): Self.appendTextValue(text, to: &buffer)
            case .stringConvertible(let convertible): Self.appendTextValue(convertible.description, to: &buffer)
            case .array, .dictionary:
                // Nested values read best as the JSON they are.
                var nested: [UInt8] = []
                Self.appendJSONValue(value, to: &nested)
                Self.appendTextValue(String(decoding: nested, as: UTF8.self), to: &buffer)
            }
        }
    }

    /// `<time> <level> <label>: <message>`, the fields before the pairs.
    static func appendTextHead<Bytes: ByteAppending>(
        time: WallTime, level: Logger.Level, label: String, message: String, to buffer: inout Bytes
    ) {
        time.appendRFC3339(to: &buffer)
        buffer.append(UInt8(ascii: " "))
        buffer.append(level.name)
        buffer.append(UInt8(ascii: " "))
        appendEscaped(label, to: &buffer)
        buffer.append(": ")
        appendEscaped(message, to: &buffer)
    }

    static func appendTextValue<Bytes: ByteAppending>(_ text: String, to buffer: inout Bytes) {
        var text = text
        let plain = text.withUTF8 { bytes in
            guard !bytes.isEmpty, !bytes.contains(where: needsQuoting) else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if !plain { appendJSONString(text, to: &buffer) }
    }

    private static func needsQuoting(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "=")
    }
}
