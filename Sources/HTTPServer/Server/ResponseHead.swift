/// Serialises a response head (RFC 9112 §4, §6) straight into a connection's output buffer.
enum ResponseHead {
    static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    private static let statusLines: [Int: [UInt8]] = Dictionary(
        uniqueKeysWithValues: HTTPStatus.phrases.map { ($0.key, Array("HTTP/1.1 \($0.key) \($0.value)\r\n".utf8)) })

    /// - Parameters:
    ///   - close: adds `Connection: close` (RFC 9112 §9.6).
    ///   - keepAliveFor10: an HTTP/1.0 client that asked for keep-alive is told it got it.
    ///   - bodyLength: the body's length even for HEAD (RFC 9110 §9.3.2 keeps Content-Length).
    static func write(_ response: HTTPResponse, bodyLength: Int, close: Bool, keepAliveFor10: Bool,
                      date: [UInt8], into out: inout [UInt8]) {
        // No `reserveCapacity` here: it reallocates to exactly the requested size, which turns a
        // run of pipelined responses into quadratic copying. Appends grow geometrically, and the
        // connection keeps the capacity between responses.
        let code = response.status.code
        if code == 200 {
            // The common case without a dictionary lookup.
            append("HTTP/1.1 200 OK\r\n", to: &out)
        } else if let line = statusLines[code] {
            out.append(contentsOf: line)
        } else {
            out.append(contentsOf: "HTTP/1.1 \(code) \(sanitized(response.status.reasonPhrase))\r\n".utf8)
        }
        for field in response.headers.fields where !isServerOwned(field.name) {
            appendField(field, to: &out)
        }
        if response.status.allowsBody {
            append("Content-Length: ", to: &out)
            appendDecimal(bodyLength, to: &out)
            out.append(0x0D)
            out.append(0x0A)
        }
        if close {
            append("Connection: close\r\n", to: &out)
        } else if keepAliveFor10 {
            append("Connection: keep-alive\r\n", to: &out)
        }
        out.append(contentsOf: date)
        out.append(0x0D)
        out.append(0x0A)
    }

    /// The head as its own array (tests, error paths that want the bytes).
    static func serialize(_ response: HTTPResponse, bodyLength: Int, close: Bool, keepAliveFor10: Bool,
                          date: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        write(response, bodyLength: bodyLength, close: close, keepAliveFor10: keepAliveFor10, date: date, into: &out)
        return out
    }

    /// Framing fields and Date are written by the server only.
    private static func isServerOwned(_ name: String) -> Bool {
        // Length first: most names match none of these lengths, so most fields cost one compare.
        switch name.utf8.count {
        case 4: name.equalsIgnoringASCIICase("date")
        case 10: name.equalsIgnoringASCIICase("connection")
        case 14: name.equalsIgnoringASCIICase("content-length")
        case 17: name.equalsIgnoringASCIICase("transfer-encoding")
        default: false
        }
    }

    /// Writes `name: value\r\n` unless the field could split the response (a non-token name,
    /// CR/LF or another control in the value, RFC 9110 §5.5); such a field is dropped.
    private static func appendField(_ field: HTTPHeaders.Field, to out: inout [UInt8]) {
        var name = field.name
        var value = field.value
        // Contiguous UTF-8 (a no-op for native strings) so validation is a plain loop and the
        // copy a memcpy; `out` stays outside the closures so its appends are not boxed.
        name.makeContiguousUTF8()
        value.makeContiguousUTF8()
        guard name.utf8.withContiguousStorageIfAvailable({ $0.isToken() }) == true,
              value.utf8.withContiguousStorageIfAvailable({ $0.isFieldValue() }) == true else { return }
        out.append(contentsOf: name.utf8)
        append(": ", to: &out)
        out.append(contentsOf: value.utf8)
        append("\r\n", to: &out)
    }

    @inline(__always)
    private static func append(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Decimal digits without building a String.
    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        guard value > 0 else {
            out.append(UInt8(ascii: "0"))
            return
        }
        var remaining = value
        var divisor = 1
        while divisor <= remaining / 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(remaining / divisor))
            remaining %= divisor
            divisor /= 10
        }
    }

    private static func sanitized(_ phrase: String) -> String {
        String(phrase.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F })
    }
}
