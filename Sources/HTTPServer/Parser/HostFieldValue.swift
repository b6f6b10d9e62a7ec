/// The Host field's grammar: `uri-host [ ":" port ]` (RFC 9112 §3.2, RFC 3986 §3.2.2-3.2.3).
///
/// A Host that is not a host is answered 400 rather than routed: it would otherwise reach
/// whatever reads it (the agent plan names the reflector by the host the agent used, say) as
/// a name no client could have resolved.
enum HostFieldValue {
    /// True for an empty value (RFC 9112 §3.2 allows it when the target has no authority), a
    /// reg-name, an IPv4 address or an IP-literal in brackets, each with an optional port.
    static func isValid(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        if value.first == UInt8(ascii: "[") {
            // IP-literal = "[" ( IPv6address / IPvFuture ) "]": hex digits, ':' and '.' for
            // IPv6 (IPv4-mapped tails), and IPvFuture's "v" HEXDIG "." 1*( unreserved /
            // sub-delims / ":" ); the bytes inside are checked as that union, which no reader
            // of the value relies on being narrower.
            index = 1
            while index < value.count, value[index] != UInt8(ascii: "]") {
                guard isLiteralByte(value[index]) else { return false }
                index += 1
            }
            guard index < value.count, index > 1 else { return false }
            index += 1
        } else {
            // reg-name = *( unreserved / pct-encoded / sub-delims ); IPv4address is a reg-name
            // too as far as the bytes go.
            while index < value.count, value[index] != UInt8(ascii: ":") {
                let byte = value[index]
                if byte == UInt8(ascii: "%") {
                    guard index + 2 < value.count, isHexDigit(value[index + 1]), isHexDigit(value[index + 2]) else { return false }
                    index += 3
                    continue
                }
                guard isUnreserved(byte) || isSubDelimiter(byte) else { return false }
                index += 1
            }
        }
        guard index < value.count else { return true }
        // port = *DIGIT (RFC 3986 §3.2.3), after the one ':'.
        guard value[index] == UInt8(ascii: ":") else { return false }
        for byte in value[(index + 1)...] where !isDigit(byte) { return false }
        return true
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }

    private static func isAlpha(_ byte: UInt8) -> Bool { byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z") }

    /// unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        isAlpha(byte) || isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
    }

    /// sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
    private static func isSubDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
             UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
             UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    private static func isLiteralByte(_ byte: UInt8) -> Bool {
        isUnreserved(byte) || isSubDelimiter(byte) || byte == UInt8(ascii: ":")
    }
}
