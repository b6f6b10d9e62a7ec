/// The fields that decide framing and connection handling, collected while parsing and
/// checked together once the whole header section is known.
struct FramingFields {
    private var hostCount = 0
    private var contentLengths: [String] = []
    private var transferCodings: [String] = []
    private var hasTransferEncoding = false
    private var connectionClose = false
    private var connectionKeepAlive = false
    private var expectations: [String] = []

    mutating func note(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        switch name.count {
        case 4 where name.equalsLowercase("host"):
            hostCount += 1
        case 6 where name.equalsLowercase("expect"):
            expectations.append(lowercased(value))
        case 10 where name.equalsLowercase("connection"):
            for option in lowercased(value).split(separator: ",") {
                let token = option.trimmingCharacters()
                if token == "close" { connectionClose = true }
                if token == "keep-alive" { connectionKeepAlive = true }
            }
        case 14 where name.equalsLowercase("content-length"):
            contentLengths.append(String(decoding: value, as: UTF8.self))
        case 17 where name.equalsLowercase("transfer-encoding"):
            hasTransferEncoding = true
            transferCodings += lowercased(value).split(separator: ",", omittingEmptySubsequences: false)
                .map { String($0.trimmingCharacters()) }
        default:
            break
        }
    }

    func apply(to head: inout RequestHead) throws {
        // RFC 9112 §3.2: an HTTP/1.1 request without exactly one Host is answered 400.
        if head.version == .http1_1 && hostCount != 1 || hostCount > 1 {
            throw HTTPParseError(.badRequest, hostCount == 0 ? "The Host header is missing." : "The Host header is repeated.")
        }
        head.keepAlive = head.version == .http1_1 ? !connectionClose : connectionKeepAlive && !connectionClose
        head.framing = try framing(version: head.version)
        for expectation in expectations {
            // RFC 9110 §10.1.1: 100-continue is the only expectation defined; others get 417.
            guard expectation == "100-continue" else {
                throw HTTPParseError(.expectationFailed, "Only the 100-continue expectation is supported.")
            }
            head.expectsContinue = head.version == .http1_1
        }
    }

    /// RFC 9112 §6.3 message body length.
    private func framing(version: HTTPVersion) throws -> BodyFraming {
        if hasTransferEncoding {
            // §6.3 ¶3: Transfer-Encoding with Content-Length is a smuggling vector; reject.
            guard contentLengths.isEmpty else {
                throw HTTPParseError(.badRequest, "Content-Length and Transfer-Encoding must not both be sent.")
            }
            // §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
            guard version == .http1_1 else {
                throw HTTPParseError(.badRequest, "Transfer-Encoding is not allowed in HTTP/1.0.")
            }
            // §6.1 / RFC 9110 §10.1.4 (TE codings): an unknown coding is 501.
            if let unknown = transferCodings.first(where: { $0 != "chunked" }), !unknown.isEmpty {
                throw HTTPParseError(.notImplemented, "The transfer coding is not implemented.")
            }
            // §6.3 ¶4 and §7.1: chunked must be final and must not be applied twice.
            guard transferCodings == ["chunked"] else {
                throw HTTPParseError(.badRequest, "The Transfer-Encoding header is malformed.")
            }
            return .chunked
        }
        guard let first = contentLengths.first else { return .none }
        // RFC 9110 §8.6: duplicate or list-valued lengths are rejected rather than reconciled.
        guard contentLengths.count == 1 else {
            throw HTTPParseError(.badRequest, "Content-Length is repeated.")
        }
        // 1*DIGIT only: no sign, no hex, no whitespace; 18 digits cannot overflow Int.
        guard !first.isEmpty, first.utf8.count <= 18, first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let length = Int(first) else {
            throw HTTPParseError(.badRequest, "Content-Length is not a valid number.")
        }
        return length == 0 ? .none : .length(length)
    }

    private func lowercased(_ value: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: value.map(asciiLowercase), as: UTF8.self)
    }
}

extension Substring {
    /// Trims optional whitespace (OWS, RFC 9110 §5.6.3) around list elements.
    func trimmingCharacters() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
