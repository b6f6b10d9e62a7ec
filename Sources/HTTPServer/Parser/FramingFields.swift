/// The fields that decide framing and connection handling, noted on the bytes while parsing
/// (no `String` per field) and checked together once the whole header section is known.
struct FramingFields {
    private var hostCount = 0
    private var hostIsValid = true
    private var contentLengthCount = 0
    /// The first Content-Length, if it is 1*DIGIT of at most 18 digits (no overflow).
    private var contentLength: Int?
    private var hasTransferEncoding = false
    /// List elements of every Transfer-Encoding field together (RFC 9110 §5.3 combines them).
    private var transferCodingCount = 0
    private var chunkedCount = 0
    /// What the first element other than `chunked` was, if any.
    private var firstOtherCoding = OtherCoding.none
    private var connectionClose = false
    private var connectionKeepAlive = false
    private var expectsContinue = false
    private var hasOtherExpectation = false

    private enum OtherCoding {
        case none, empty, unknown
    }

    mutating func note(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        switch name.count {
        case 4 where name.equalsLowercase("host"):
            hostCount += 1
            if !HostFieldValue.isValid(value) { hostIsValid = false }
        case 6 where name.equalsLowercase("expect"):
            if value.equalsLowercase("100-continue") { expectsContinue = true } else { hasOtherExpectation = true }
        case 10 where name.equalsLowercase("connection"):
            value.forEachListElement { option in
                if option.equalsLowercase("close") { connectionClose = true }
                if option.equalsLowercase("keep-alive") { connectionKeepAlive = true }
            }
        case 14 where name.equalsLowercase("content-length"):
            contentLengthCount += 1
            if contentLengthCount == 1 { contentLength = Self.digits(value) }
        case 17 where name.equalsLowercase("transfer-encoding"):
            hasTransferEncoding = true
            value.forEachListElement { coding in
                transferCodingCount += 1
                if coding.equalsLowercase("chunked") {
                    chunkedCount += 1
                } else if case .none = firstOtherCoding {
                    firstOtherCoding = coding.isEmpty ? .empty : .unknown
                }
            }
        default:
            break
        }
    }

    /// Checks the fields together, once the whole header section is known.
    func framing(version: HTTPVersion) throws -> RequestFraming {
        // RFC 9112 §3.2: an HTTP/1.1 request without exactly one Host is answered 400.
        if version == .http1_1 && hostCount != 1 || hostCount > 1 {
            throw HTTPParseError(.badRequest, hostCount == 0 ? "The Host header is missing." : "The Host header is repeated.")
        }
        guard hostIsValid else {
            throw HTTPParseError(.badRequest, "The Host header is not a host with an optional port (RFC 9112 §3.2).")
        }
        var framing = RequestFraming()
        framing.keepAlive = version == .http1_1 ? !connectionClose : connectionKeepAlive && !connectionClose
        framing.body = try bodyFraming(version: version)
        // RFC 9110 §10.1.1: 100-continue is the only expectation defined; others get 417.
        if hasOtherExpectation {
            throw HTTPParseError(.expectationFailed, "Only the 100-continue expectation is supported.")
        }
        framing.expectsContinue = expectsContinue && version == .http1_1
        return framing
    }

    /// RFC 9112 §6.3 message body length.
    private func bodyFraming(version: HTTPVersion) throws -> BodyFraming {
        if hasTransferEncoding {
            // §6.3 ¶3: Transfer-Encoding with Content-Length is a smuggling vector; reject.
            guard contentLengthCount == 0 else {
                throw HTTPParseError(.badRequest, "Content-Length and Transfer-Encoding must not both be sent.")
            }
            // §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
            guard version == .http1_1 else {
                throw HTTPParseError(.badRequest, "Transfer-Encoding is not allowed in HTTP/1.0.")
            }
            // §6.1 / RFC 9110 §10.1.4 (TE codings): an unknown coding is 501.
            if case .unknown = firstOtherCoding {
                throw HTTPParseError(.notImplemented, "The transfer coding is not implemented.")
            }
            // §6.3 ¶4 and §7.1: chunked must be final and must not be applied twice.
            guard transferCodingCount == 1, chunkedCount == 1 else {
                throw HTTPParseError(.badRequest, "The Transfer-Encoding header is malformed.")
            }
            return .chunked
        }
        guard contentLengthCount > 0 else { return .none }
        // RFC 9110 §8.6: duplicate or list-valued lengths are rejected rather than reconciled.
        guard contentLengthCount == 1 else {
            throw HTTPParseError(.badRequest, "Content-Length is repeated.")
        }
        guard let length = contentLength else {
            throw HTTPParseError(.badRequest, "Content-Length is not a valid number.")
        }
        return length == 0 ? .none : .length(length)
    }

    /// 1*DIGIT only: no sign, no hex, no whitespace; 18 digits cannot overflow Int.
    private static func digits(_ value: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !value.isEmpty, value.count <= 18 else { return nil }
        var number = 0
        for byte in value {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            number = number * 10 + Int(byte - 0x30)
        }
        return number
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Calls `body` with each comma-separated element, optional whitespace trimmed (RFC 9110
    /// §5.6.1); empty elements included, so `a,,b` has three.
    func forEachListElement(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        for index in 0...count where index == count || self[index] == UInt8(ascii: ",") {
            body(UnsafeBufferPointer(rebasing: self[start..<index]).trimmingWhitespace())
            start = index + 1
        }
    }
}
