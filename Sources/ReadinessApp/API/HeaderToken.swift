/// Byte-level reading of the header values every upload is checked against (`Content-Type`,
/// `Content-Encoding`): ASCII case-insensitive comparison and OWS trimming without Foundation's
/// `trimmingCharacters`/`lowercased`, which allocate and walk Unicode tables per request.
enum HeaderToken {
    /// Whether `value`, as a media type (RFC 9110 §8.3.1: `type/subtype *( OWS ";" OWS parameter )`),
    /// is `application/json` or any `+json` type (RFC 6839 §3.1), ignoring ASCII case, the
    /// parameters and the optional whitespace around the type.
    static func isJSONMediaType(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            let end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
            let type = trimmed(UnsafeBufferPointer(rebasing: bytes[0..<end]))
            return equalsLowercase(type, "application/json") || hasLowercaseSuffix(type, "+json")
        }
    }

    /// `value` without OWS (RFC 9110 §5.6.3: SP and HTAB) on either side, compared ignoring
    /// ASCII case with `lowercase`, which must be lower-case ASCII.
    static func equalsTrimmed(_ value: String, _ lowercase: StaticString) -> Bool {
        var value = value
        return value.withUTF8 { equalsLowercase(trimmed($0), lowercase) }
    }

    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = bytes.count
        while start < end, isOWS(bytes[start]) { start += 1 }
        while end > start, isOWS(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    static func equalsLowercase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        lowercase.withUTF8Buffer { expected in
            guard bytes.count == expected.count else { return false }
            for index in 0..<bytes.count where lowered(bytes[index]) != expected[index] { return false }
            return true
        }
    }

    static func hasLowercaseSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        lowercase.withUTF8Buffer { expected in
            guard bytes.count >= expected.count else { return false }
            let offset = bytes.count - expected.count
            for index in 0..<expected.count where lowered(bytes[offset + index]) != expected[index] { return false }
            return true
        }
    }

    @inline(__always)
    private static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    @inline(__always)
    private static func isOWS(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}
