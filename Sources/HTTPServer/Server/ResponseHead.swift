import Sockets

/// Serialises a response (RFC 9112 §4, §6) straight into a connection's output buffer: the
/// size is added up first, then head and body are stored in one reservation.
enum ResponseHead {
    static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// - Parameters:
    ///   - close: adds `Connection: close` (RFC 9112 §9.6).
    ///   - keepAliveFor10: an HTTP/1.0 client that asked for keep-alive is told it got it.
    ///   - includeBody: false for HEAD (RFC 9110 §9.3.2), which still gets the GET's
    ///     `Content-Length`.
    static func write(_ response: borrowing HTTPResponse, close: Bool, keepAliveFor10: Bool, includeBody: Bool,
                      date: borrowing [UInt8], into out: inout OutputBuffer) {
        let code = response.status.code
        let allowsBody = response.status.allowsBody
        let known = statusLine(code)
        // An unregistered code: build its line once, here, off the common path.
        let custom = known == nil ? Array("HTTP/1.1 \(code) \(sanitized(response.status.reasonPhrase))\r\n".utf8) : []
        let sendsBody = includeBody && allowsBody
        let maximum = (known?.utf8CodeUnitCount ?? custom.count)
            + response.headers.serializedSizeLimit
            + contentLengthLineLimit + connectionLineLimit + date.count + 2
            + (sendsBody ? response.body.count : 0)
        out.write(upTo: maximum) { buffer in
            var writer = ByteWriter(buffer)
            if let known { writer.put(known) } else { custom.withUnsafeBufferPointer { writer.put($0) } }
            // A field that could split the response (RFC 9110 §5.5) is dropped.
            response.headers.forEachValidField { name, value in
                guard !isServerOwned(name) else { return }
                writer.put(name)
                writer.put(": ")
                writer.put(value)
                writer.put("\r\n")
            }
            if allowsBody {
                writer.put("Content-Length: ")
                writer.putDecimal(response.body.count)
                writer.put("\r\n")
            }
            if close {
                writer.put("Connection: close\r\n")
            } else if keepAliveFor10 {
                writer.put("Connection: keep-alive\r\n")
            }
            date.withUnsafeBufferPointer { writer.put($0) }
            writer.put("\r\n")
            if sendsBody { response.body.withUnsafeBufferPointer { writer.put($0) } }
            return writer.position
        }
    }

    /// "Content-Length: " + at most 19 digits + CRLF.
    private static var contentLengthLineLimit: Int { 16 + 19 + 2 }
    /// The longer of the two `Connection` lines, "Connection: keep-alive" + CRLF.
    private static var connectionLineLimit: Int { 24 }

    /// Framing fields and Date are written by the server only; a handler's are dropped.
    static func isServerOwned(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        // Length first: most names match none of these lengths, so most fields cost one compare.
        switch name.count {
        case 4: name.equalsLowercase("date")
        case 10: name.equalsLowercase("connection")
        case 14: name.equalsLowercase("content-length")
        case 17: name.equalsLowercase("transfer-encoding")
        default: false
        }
    }

    /// Status lines of the codes ``HTTPStatus`` names, as literals (no table to look up or
    /// initialise lazily). The registered reason phrase is sent even when a handler built the
    /// status with another one.
    static func statusLine(_ code: Int) -> StaticString? {
        switch code {
        case 100: "HTTP/1.1 100 Continue\r\n"
        case 200: "HTTP/1.1 200 OK\r\n"
        case 201: "HTTP/1.1 201 Created\r\n"
        case 202: "HTTP/1.1 202 Accepted\r\n"
        case 204: "HTTP/1.1 204 No Content\r\n"
        case 301: "HTTP/1.1 301 Moved Permanently\r\n"
        case 302: "HTTP/1.1 302 Found\r\n"
        case 304: "HTTP/1.1 304 Not Modified\r\n"
        case 400: "HTTP/1.1 400 Bad Request\r\n"
        case 401: "HTTP/1.1 401 Unauthorized\r\n"
        case 403: "HTTP/1.1 403 Forbidden\r\n"
        case 404: "HTTP/1.1 404 Not Found\r\n"
        case 405: "HTTP/1.1 405 Method Not Allowed\r\n"
        case 408: "HTTP/1.1 408 Request Timeout\r\n"
        case 409: "HTTP/1.1 409 Conflict\r\n"
        case 410: "HTTP/1.1 410 Gone\r\n"
        case 412: "HTTP/1.1 412 Precondition Failed\r\n"
        case 413: "HTTP/1.1 413 Content Too Large\r\n"
        case 414: "HTTP/1.1 414 URI Too Long\r\n"
        case 415: "HTTP/1.1 415 Unsupported Media Type\r\n"
        case 417: "HTTP/1.1 417 Expectation Failed\r\n"
        case 422: "HTTP/1.1 422 Unprocessable Content\r\n"
        case 429: "HTTP/1.1 429 Too Many Requests\r\n"
        case 431: "HTTP/1.1 431 Request Header Fields Too Large\r\n"
        case 500: "HTTP/1.1 500 Internal Server Error\r\n"
        case 501: "HTTP/1.1 501 Not Implemented\r\n"
        case 502: "HTTP/1.1 502 Bad Gateway\r\n"
        case 503: "HTTP/1.1 503 Service Unavailable\r\n"
        case 504: "HTTP/1.1 504 Gateway Timeout\r\n"
        case 505: "HTTP/1.1 505 HTTP Version Not Supported\r\n"
        default: nil
        }
    }

    private static func sanitized(_ phrase: String) -> String {
        String(phrase.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F })
    }
}
