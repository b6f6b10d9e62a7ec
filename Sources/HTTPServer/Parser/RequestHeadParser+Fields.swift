extension RequestHeadParser {
    /// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). `fields` is every line
    /// after the request line, ending with the empty line's LF.
    func parseFields(_ fields: UnsafeBufferPointer<UInt8>, into head: inout RequestHead) throws {
        var framing = FramingFields()
        // Browsers send 8-15 fields; one allocation instead of growing 1, 2, 4, 8, 16.
        var headers = HTTPHeaders(capacity: min(limits.maxHeaderCount, 16))
        try forEachFieldLine(fields, limit: limits.maxHeaderCount) { name, value in
            framing.note(name: name, value: value)
            headers.add(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
        }
        head.headers = headers
        try framing.apply(to: &head)
    }

    /// Splits and validates field lines; shared by the header and the chunked trailer section.
    func forEachFieldLine(
        _ fields: UnsafeBufferPointer<UInt8>, limit: Int,
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        var lineStart = 0
        var count = 0
        while lineStart < fields.count {
            guard let lf = fields[lineStart...].firstIndex(of: 0x0A), lf > lineStart, fields[lf - 1] == 0x0D else {
                throw HTTPParseError(.badRequest, "A header line must end with CRLF.")
            }
            let line = UnsafeBufferPointer(rebasing: fields[lineStart..<(lf - 1)])
            lineStart = lf + 1
            if line.isEmpty { return }
            // RFC 9112 §5.2: obs-fold (a line starting with whitespace) is rejected with 400.
            if ByteClass.isWhitespace(line[0]) {
                throw HTTPParseError(.badRequest, "Obsolete line folding is not allowed.")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw HTTPParseError(.badRequest, "A header line has no colon.")
            }
            let name = UnsafeBufferPointer(rebasing: line[0..<colon])
            // RFC 9112 §5.1: no whitespace is allowed between the field name and the colon.
            if let last = name.last, ByteClass.isWhitespace(last) {
                throw HTTPParseError(.badRequest, "Whitespace before a colon is not allowed.")
            }
            guard name.isToken() else {
                throw HTTPParseError(.badRequest, "A header name is not a valid token.")
            }
            let value = UnsafeBufferPointer(rebasing: line[(colon + 1)...]).trimmingWhitespace()
            // RFC 9110 §5.5: CR, LF, NUL and other controls are invalid in field values.
            guard value.isFieldValue() else {
                throw HTTPParseError(.badRequest, "A header value contains a control character.")
            }
            count += 1
            if count > limit {
                throw HTTPParseError(.requestHeaderFieldsTooLarge, "More than \(limit) header fields.")
            }
            try body(name, value)
        }
    }
}
