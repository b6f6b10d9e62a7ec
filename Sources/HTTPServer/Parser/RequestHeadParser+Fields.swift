extension RequestHeadParser {
    /// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). `fields` is every line
    /// after the request line, ending with the empty line's LF.
    ///
    ///
    /// The fields are kept as one copy of `fields` plus where each name and value lies
    /// (``ReceivedFields``): one allocation per request, however many fields it has.
    func parseFields(
        _ fields: UnsafeBufferPointer<UInt8>, version: HTTPVersion, framing: inout RequestFraming
    ) throws -> HTTPHeaders {
        var noted = FramingFields()
        // Spans are 32-bit; only a misconfigured `maxHeaderSectionSize` could exceed them.
        guard fields.count <= Int(UInt32.max) else {
            throw HTTPParseError(.requestHeaderFieldsTooLarge, "The header section is too large.")
        }
        let received = try withUnsafeTemporaryAllocation(
            of: UInt32.self, capacity: ReceivedFields.SpanList.stackCapacity
        ) { stack in
            var spans = ReceivedFields.SpanList(stack: stack)
            try forEachFieldLine(fields, limit: limits.maxHeaderCount) { name, value in
                noted.note(name: name, value: value)
                spans.append(name: fields.offset(of: name), name.count, value: fields.offset(of: value), value.count)
            }
            return spans.withSpans { ReceivedFields(section: fields, spans: $0) }
        }
        framing = try noted.framing(version: version)
        return HTTPHeaders(received: received)
    }

    /// Splits and validates field lines; shared by the header and the chunked trailer section.
    func forEachFieldLine(
        _ fields: UnsafeBufferPointer<UInt8>, limit: Int,
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        var lineStart = 0
        var count = 0
        while lineStart < fields.count {
            guard let lf = fields.firstIndex(of: 0x0A, from: lineStart), lf > lineStart, fields[lf - 1] == 0x0D else {
                throw HTTPParseError(.badRequest, "A header line must end with CRLF.")
            }
            let line = UnsafeBufferPointer(rebasing: fields[lineStart..<(lf - 1)])
            lineStart = lf + 1
            if line.isEmpty { return }
            // RFC 9112 §5.2: obs-fold (a line starting with whitespace) is rejected with 400.
            if ByteClass.isWhitespace(line[0]) {
                throw HTTPParseError(.badRequest, "Obsolete line folding is not allowed.")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":"), from: 0) else {
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

extension UnsafeBufferPointer where Element == UInt8 {
    /// Where `part`, a slice of this buffer, starts within it.
    func offset(of part: UnsafeBufferPointer<UInt8>) -> Int {
        guard let whole = baseAddress, let start = part.baseAddress else { return 0 }
        return start - whole
    }
}
