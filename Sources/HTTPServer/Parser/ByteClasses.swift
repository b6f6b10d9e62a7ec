#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Character classes from RFC 9110 §5.6.2 (token) and §5.5 (field values).
enum ByteClass {
    // Bit masks rather than `[Bool]` tables: a table is a lazily initialised global, so every
    // lookup paid a `swift_once` check, a retain and a bounds check (visible in profiles of
    // GET /healthz). The masks are compile-time constants.

    /// tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
    /// / DIGIT / ALPHA (RFC 9110 §5.6.2). Bit n of `low` is byte n, bit n of `high` byte 64 + n.
    private static let tokenLow: UInt64 = 0x03FF_6CFA_0000_0000
    private static let tokenHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE

    @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool {
        if byte < 64 { return tokenLow & (1 << UInt64(byte)) != 0 }
        if byte < 128 { return tokenHigh & (1 << UInt64(byte - 64)) != 0 }
        return false
    }

    /// field-vchar / SP / HTAB: VCHAR, obs-text (0x80-0xFF), SP, HTAB. Everything else,
    /// CR, LF and NUL included, is rejected (RFC 9110 §5.5).
    @inline(__always)
    static func isFieldValue(_ byte: UInt8) -> Bool {
        byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }

    /// Request-target bytes: visible ASCII only; no whitespace or controls (RFC 9112 §3.2).
    @inline(__always)
    static func isTarget(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// True when some byte of `word` is below 0x20 or is 0x7F; never false when one is. The
    /// "has less than" and "has zero byte" word tricks (Anderson, Bit Twiddling Hacks).
    @inline(__always)
    static func mayHoldControl(_ word: UInt64) -> Bool {
        let below20 = (word &- ones &* 0x20) & ~word & highBits
        let delete = word ^ (ones &* 0x7F)
        let is7F = (delete &- ones) & ~delete & highBits
        return below20 | is7F != 0
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    // Plain loops rather than `allSatisfy(ByteClass.isToken)`: passing the function as a value
    // was not inlined and cost a call per byte on every header of every request and response.

    /// Non-empty and every byte a tchar (RFC 9110 §5.6.2).
    func isToken() -> Bool {
        guard !isEmpty else { return false }
        for byte in self where !ByteClass.isToken(byte) { return false }
        return true
    }

    /// Every byte allowed in a field value (RFC 9110 §5.5).
    ///
    /// Eight bytes at a time: values (user agents, cookies, tokens) are the bulk of a head, and
    /// a word with no byte below 0x20 and none equal to 0x7F is valid as a whole. A word that
    /// might hold HTAB or a control is checked byte by byte.
    func isFieldValue() -> Bool {
        guard let base = baseAddress else { return true }
        guard count >= 8 else {
            for byte in self where !ByteClass.isFieldValue(byte) { return false }
            return true
        }
        // Whole words, the last one overlapping its predecessor rather than a byte loop.
        var index = 0
        while true {
            let start = Swift.min(index, count - 8)
            let word = UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self)
            if ByteClass.mayHoldControl(word) {
                for offset in start..<(start + 8) where !ByteClass.isFieldValue(base[offset]) { return false }
            }
            index += 8
            if index >= count { return true }
        }
    }

    /// Every byte allowed in a request-target (RFC 9112 §3.2).
    func isTarget() -> Bool {
        for byte in self where !ByteClass.isTarget(byte) { return false }
        return true
    }

    /// Index of the first `byte` at or after `start`. `memchr` compares a vector at a time;
    /// line ends and colons are searched for several times per request.
    func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        guard let base = baseAddress, start >= 0, start < count,
              let found = memchr(base + start, Int32(byte), count - start) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// Equal bytes, ignoring ASCII case (field names, RFC 9110 §5.1).
    func equalsIgnoringASCIICase(_ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        for index in 0..<count where asciiLowercase(self[index]) != asciiLowercase(other[index]) { return false }
        return true
    }

    /// Case-insensitive comparison with a lowercase ASCII literal.
    func equalsLowercase(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        let other = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for index in 0..<count where asciiLowercase(self[index]) != other[index] { return false }
        return true
    }

    func trimmingWhitespace() -> UnsafeBufferPointer<UInt8> {
        var lower = 0
        var upper = count
        while lower < upper, ByteClass.isWhitespace(self[lower]) { lower += 1 }
        while upper > lower, ByteClass.isWhitespace(self[upper - 1]) { upper -= 1 }
        return UnsafeBufferPointer(rebasing: self[lower..<upper])
    }
}
