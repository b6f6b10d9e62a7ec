extension RequestHeadParser {
    /// The parts of a request line. A tuple rather than a struct: destructuring it moves each
    /// part into the request, where taking the fields of a struct apart copies (and retains) them.
    typealias RequestLine = (
        method: HTTPMethod, target: String, path: String, query: QueryParameters, version: HTTPVersion
    )

    /// request-line = method SP request-target SP HTTP-version CRLF (RFC 9112 §3).
    /// `line` ends with the LF.
    func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws -> RequestLine {
        // RFC 9112 §2.2: we accept only CRLF; a bare CR or LF could hide a second request.
        guard line.count >= 2, line[line.count - 2] == 0x0D else {
            throw HTTPParseError(.badRequest, "The request line must end with CRLF.")
        }
        let content = UnsafeBufferPointer(rebasing: line[0..<(line.count - 2)])
        guard let firstSpace = content.firstIndex(of: 0x20),
              let lastSpace = content.lastIndex(of: 0x20), firstSpace < lastSpace else {
            throw HTTPParseError(.badRequest, "The request line is malformed.")
        }
        let method = UnsafeBufferPointer(rebasing: content[0..<firstSpace])
        let target = UnsafeBufferPointer(rebasing: content[(firstSpace + 1)..<lastSpace])
        let version = UnsafeBufferPointer(rebasing: content[(lastSpace + 1)...])

        guard method.isToken() else {
            throw HTTPParseError(.badRequest, "The method is not a valid token.")
        }
        guard !target.isEmpty, target.isTarget() else {
            throw HTTPParseError(.badRequest, "The request target contains invalid characters.")
        }
        let parsedVersion = try parseVersion(version)
        guard let knownMethod = HTTPMethod.known(method) else {
            // RFC 9110 §9.1: an unrecognised method SHOULD be answered 501.
            throw HTTPParseError(.notImplemented, "The method is not implemented by this server.")
        }
        try validateTargetForm(target, method: knownMethod)
        let targetText = String(decoding: target, as: UTF8.self)
        let (path, query) = splitTarget(target, text: targetText)
        return (knownMethod, targetText, path, query, parsedVersion)
    }

    /// origin-form is split on the bytes (no `String.Index` walking per request); the rare
    /// absolute-form and `*` go through ``HTTPRequest/split(_:)``.
    private func splitTarget(_ target: UnsafeBufferPointer<UInt8>, text: String) -> (String, QueryParameters) {
        guard target[0] == UInt8(ascii: "/") else {
            let (path, query) = HTTPRequest.split(text)
            return (String(path), QueryParameters(query))
        }
        // Most targets have no query: the path is the target, and nothing is split or decoded.
        guard let mark = target.firstIndex(of: UInt8(ascii: "?")) else { return (text, QueryParameters()) }
        let path = String(decoding: UnsafeBufferPointer(rebasing: target[..<mark]), as: UTF8.self)
        let query = Substring(String(decoding: UnsafeBufferPointer(rebasing: target[(mark + 1)...]), as: UTF8.self))
        return (path, QueryParameters(query))
    }

    /// HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3). Major 1 only (505 otherwise);
    /// a higher 1.x minor is served as 1.1, as §2.3 allows.
    private func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) throws -> HTTPVersion {
        guard bytes.count == 8, bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"),
              bytes[2] == UInt8(ascii: "T"), bytes[3] == UInt8(ascii: "P"), bytes[4] == UInt8(ascii: "/"),
              bytes[6] == UInt8(ascii: "."),
              let major = digit(bytes[5]), let minor = digit(bytes[7]) else {
            throw HTTPParseError(.badRequest, "The HTTP version is malformed.")
        }
        guard major == 1 else {
            throw HTTPParseError(.httpVersionNotSupported, "Only HTTP/1.0 and HTTP/1.1 are supported.")
        }
        return minor == 0 ? .http1_0 : .http1_1
    }

    /// origin-form, absolute-form, or `*` for OPTIONS (RFC 9112 §3.2).
    private func validateTargetForm(_ target: UnsafeBufferPointer<UInt8>, method: HTTPMethod) throws {
        if target[0] == UInt8(ascii: "/") { return }
        if target.count == 1, target[0] == UInt8(ascii: "*"), method == .options { return }
        let lowered = target.prefix(8).map(asciiLowercase)
        if lowered.starts(with: "http://".utf8) || lowered.starts(with: "https://".utf8) { return }
        throw HTTPParseError(.badRequest, "The request target form is not supported.")
    }

    private func digit(_ byte: UInt8) -> Int? {
        byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
    }
}
