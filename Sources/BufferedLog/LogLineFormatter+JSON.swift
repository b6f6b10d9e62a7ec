import Logging

extension LogLineFormatter {
    /// `{"time":"…","level":"info","label":"readiness","message":"…","metadata":{…}}`; metadata
    /// is nested so no key of it can shadow the fixed fields.
    func appendJSON(
        time: WallTime, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata,
        to buffer: inout [UInt8]
    ) {
        Self.appendJSONHead(time: time, level: level, label: label, message: message, to: &buffer)
        if !metadata.isEmpty {
            buffer.append(",\"metadata\":")
            Self.appendJSONObject(metadata, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// The object's fixed members, before `metadata` and the closing brace.
    static func appendJSONHead<Bytes: ByteAppending>(
        time: WallTime, level: Logger.Level, label: String, message: String, to buffer: inout Bytes
    ) {
        buffer.append("{\"time\":\"")
        time.appendRFC3339(to: &buffer)
        buffer.append("\",\"level\":\"")
        buffer.append(level.name)
        buffer.append("\",\"label\":")
        appendJSONString(label, to: &buffer)
        buffer.append(",\"message\":")
        appendJSONString(message, to: &buffer)
    }

    static func appendJSONObject(_ metadata: Logger.Metadata, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "{"))
        var first = true
        forEachSorted(metadata) { key, value in
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            appendJSONString(key, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            appendJSONValue(value, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// Strings stay strings (a `stringConvertible` number too: a shipper should not guess types
    /// from one line to the next); arrays and dictionaries nest.
    static func appendJSONValue(_ value: Logger.Metadata.Value, to buffer: inout [UInt8]) {
        switch value {
        case .string(let text): appendJSONString(text, to: &buffer)
        case .stringConvertible(let convertible): appendJSONString(convertible.description, to: &buffer)
        case .dictionary(let dictionary): appendJSONObject(dictionary, to: &buffer)
        case .array(let values):
            buffer.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                appendJSONValue(element, to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        }
    }

    /// A JSON string (RFC 8259 section 7): quote, backslash and control characters escaped.
    static func appendJSONString<Bytes: ByteAppending>(_ text: String, to buffer: inout Bytes) {
        buffer.append(UInt8(ascii: "\""))
        appendEscaped(text, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }

    /// `text` with `"`, `\` and controls escaped as JSON does; other bytes (UTF-8 included) as
    /// they are, copied a run at a time (most values need no escape at all).
    static func appendEscaped<Bytes: ByteAppending>(_ text: String, to buffer: inout Bytes) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for (offset, byte) in bytes.enumerated() where needsEscape(byte) {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
                appendEscape(byte, to: &buffer)
                runStart = offset + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
    }

    private static func appendEscape<Bytes: ByteAppending>(_ byte: UInt8, to buffer: inout Bytes) {
        switch byte {
        case UInt8(ascii: "\""): buffer.append("\\\"")
        case UInt8(ascii: "\\"): buffer.append("\\\\")
        case UInt8(ascii: "\n"): buffer.append("\\n")
        case UInt8(ascii: "\r"): buffer.append("\\r")
        case UInt8(ascii: "\t"): buffer.append("\\t")
        default:
            buffer.append("\\u00")
            buffer.append(hexDigit(byte >> 4))
            buffer.append(hexDigit(byte & 0xF))
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
