/// Finds and validates one request head (RFC 9112 §2-§3, §5).
///
/// Incremental: bytes may arrive one at a time; `parse` remembers how far it has searched so
/// total work stays linear in the head size. Limits are enforced before the head is complete,
/// so an endless request line or header section is never buffered past its limit.
struct RequestHeadParser {
    let limits: HTTPLimits
    private var scanned = 0
    private var requestLineEnd: Int?

    init(limits: HTTPLimits) {
        self.limits = limits
    }

    /// Forget progress; call after a head was returned.
    mutating func reset() {
        scanned = 0
        requestLineEnd = nil
    }

    /// Returns the request (without its body), with `used` set to the bytes its head took and
    /// `framing` to how its body is delimited; nil when more bytes are needed.
    mutating func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, used: inout Int, framing: inout RequestFraming
    ) throws -> HTTPRequest? {
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line.
        var start = 0
        while start + 1 < bytes.count, bytes[start] == 0x0D, bytes[start + 1] == 0x0A { start += 2 }
        if start >= bytes.count || (bytes.count - start == 1 && bytes[start] == 0x0D) { return nil }

        let lineEnd: Int
        if let known = requestLineEnd {
            lineEnd = known
        } else {
            guard let found = firstLineFeed(bytes, from: max(scanned, start)) else {
                scanned = bytes.count
                if bytes.count - start > limits.maxRequestLineLength + 1 {
                    throw HTTPParseError(.uriTooLong, "The request line is longer than \(limits.maxRequestLineLength) bytes.")
                }
                return nil
            }
            if found - start - 1 > limits.maxRequestLineLength {
                throw HTTPParseError(.uriTooLong, "The request line is longer than \(limits.maxRequestLineLength) bytes.")
            }
            lineEnd = found
            requestLineEnd = found
            scanned = found + 1
        }

        guard let headEnd = endOfHeaderSection(bytes, requestLineEnd: lineEnd) else {
            if bytes.count - lineEnd - 1 > limits.maxHeaderSectionSize {
                throw HTTPParseError(.requestHeaderFieldsTooLarge, "The header section is larger than \(limits.maxHeaderSectionSize) bytes.")
            }
            scanned = max(lineEnd + 1, bytes.count - 2)
            return nil
        }
        if headEnd - lineEnd > limits.maxHeaderSectionSize {
            throw HTTPParseError(.requestHeaderFieldsTooLarge, "The header section is larger than \(limits.maxHeaderSectionSize) bytes.")
        }
        let line = UnsafeBufferPointer(rebasing: bytes[start...lineEnd])
        let (method, target, path, query, version) = try parseRequestLine(line)
        let fields = UnsafeBufferPointer(rebasing: bytes[(lineEnd + 1)...headEnd])
        let headers = try parseFields(fields, version: version, framing: &framing)
        used = headEnd + 1
        return HTTPRequest(method: method, target: target, path: path, query: query, version: version, headers: headers)
    }

    private func firstLineFeed(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        bytes.firstIndex(of: 0x0A, from: from)
    }

    /// Index of the LF of the empty line that ends the header section.
    private func endOfHeaderSection(_ bytes: UnsafeBufferPointer<UInt8>, requestLineEnd: Int) -> Int? {
        var index = max(scanned, requestLineEnd + 1)
        while let lf = firstLineFeed(bytes, from: index) {
            // An empty line is CRLF directly after the previous line's LF.
            if lf >= 1, lf - 2 >= requestLineEnd, bytes[lf - 1] == 0x0D, bytes[lf - 2] == 0x0A { return lf }
            index = lf + 1
        }
        return nil
    }
}
