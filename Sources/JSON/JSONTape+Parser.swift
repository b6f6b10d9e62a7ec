/// The strict RFC 8259 parser behind `JSONParser` and the upload decoder: bytes to a
/// `JSONTape`, every error with the byte offset where it was found. Also holds the document
/// to I-JSON (RFC 7493 §2.1, §2.3): strings must be well-formed UTF-8, and no object may
/// repeat a member name (reported with its JSON pointer once the document parsed).
extension JSONTape {
    /// Nesting deeper than this is rejected: the contract is at most four levels deep and an
    /// unbounded depth would let an upload exhaust the stack.
    package static let maximumDepth = 64

    package static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONTape {
        var tape = JSONTape(bytes: bytes)
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
            var cursor = TapeCursor(bytes: buffer)
            cursor.skipWhitespace()
            try cursor.parseValue(depth: 0, into: &tape)
            cursor.skipWhitespace()
            guard cursor.index == buffer.count else { throw cursor.error("unexpected data after the JSON value") }
            if let repeated = cursor.repeatedName {
                throw JSONParseError(
                    offset: repeated.offset, message: "repeats a member name of its object, which I-JSON (RFC 7493 §2.3) forbids",
                    pointer: tape.pointer(to: repeated.node))
            }
        }
        return tape
    }
}

private struct TapeCursor {
    package let bytes: UnsafeBufferPointer<UInt8>
    package var index = 0
    /// The first member name found repeated in its object, and where: reported once the whole
    /// document parsed, since a syntax error anywhere is the more basic fault (400, not 422).
    package var repeatedName: (node: Int, offset: Int)?

    package init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    package func error(_ message: String) -> JSONParseError { JSONParseError(offset: index, message: message) }

    package mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    package mutating func parseValue(depth: Int, into tape: inout JSONTape) throws(JSONParseError) {
        guard depth < JSONTape.maximumDepth else { throw error("nesting is too deep") }
        guard index < bytes.count else { throw error("unexpected end of input") }
        let next = Int32(tape.nodes.count + 1)
        switch bytes[index] {
        case UInt8(ascii: "{"): try parseObject(depth: depth, into: &tape)
        case UInt8(ascii: "["): try parseArray(depth: depth, into: &tape)
        case UInt8(ascii: "\""): try parseString(into: &tape)
        case UInt8(ascii: "t"): try expectLiteral("true"); _ = tape.append(.init(kind: .bool, start: 1, end: next))
        case UInt8(ascii: "f"): try expectLiteral("false"); _ = tape.append(.init(kind: .bool, start: 0, end: next))
        case UInt8(ascii: "n"): try expectLiteral("null"); _ = tape.append(.init(kind: .null, end: next))
        default: _ = tape.append(.init(kind: .number, end: next, number: try parseNumber()))
        }
    }

    package mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("invalid literal") }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw error("invalid literal")
        }
        index += count
    }

    package mutating func parseObject(depth: Int, into tape: inout JSONTape) throws(JSONParseError) {
        index += 1
        let object = tape.append(.init(kind: .object))
        var count = 0
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; tape.close(object, count: 0); return }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name") }
            try parseString(into: &tape)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            try parseValue(depth: depth + 1, into: &tape)
            count += 1
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") {
                tape.close(object, count: count)
                if repeatedName == nil, let name = tape.repeatedName(inObjectAt: object) {
                    repeatedName = (name, tape.rawStringOffset(name).map { $0 - 1 } ?? index)
                }
                index += 1
                return
            }
            throw error("expected ',' or '}'")
        }
    }

    package mutating func parseArray(depth: Int, into tape: inout JSONTape) throws(JSONParseError) {
        index += 1
        let array = tape.append(.init(kind: .array))
        var count = 0
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; tape.close(array, count: 0); return }
        while true {
            skipWhitespace()
            try parseValue(depth: depth + 1, into: &tape)
            count += 1
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; tape.close(array, count: count); return }
            throw error("expected ',' or ']'")
        }
    }

    /// A string node: its place in the input when it has no escapes (most strings), else its
    /// decoded text.
    package mutating func parseString(into tape: inout JSONTape) throws(JSONParseError) {
        index += 1
        let start = index
        while index < bytes.count {
            // Eight bytes at a time to the first that ends the string, escapes or is a control
            // character (the lowest flagged byte is always a real one, see `stopMask`).
            if index + 8 <= bytes.count, let base = bytes.baseAddress {
                let mask = Self.stopMask(UnsafeRawPointer(base + index))
                if mask == 0 { index += 8; continue }
                index += mask.trailingZeroBitCount / 8
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                _ = tape.append(.init(
                    kind: .rawString, start: Int32(start), count: Int32(index - start), end: Int32(tape.nodes.count + 1)))
                index += 1
                return
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte >= 0x80 { try skipUTF8Sequence(); continue }
            guard byte >= 0x20 else { throw error("control character in string") }
            index += 1
        }
        var scalars = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { index += 1; tape.appendUnescaped(String(decoding: scalars, as: UTF8.self)); return }
            guard byte >= 0x20 else { throw error("control character in string") }
            if byte >= 0x80 {
                let sequence = index
                try skipUTF8Sequence()
                scalars.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[sequence..<index]))
                continue
            }
            if byte != UInt8(ascii: "\\") { scalars.append(byte); index += 1; continue }
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "u"): scalars.append(contentsOf: Array(try parseUnicodeEscape().utf8))
            default: throw error("invalid escape")
            }
        }
        throw error("unterminated string")
    }

    /// The high bit of each of 8 bytes that is `"`, `\\`, a control character or not ASCII (the
    /// start or rest of a UTF-8 sequence, to be checked) (SWAR, as in `JSONWriter.mayNeedEscape`):
    /// a byte's bit is exact up to the first flagged byte, later ones may be false positives, so
    /// only the lowest is used.
    @inline(__always)
    package static func stopMask(_ eight: UnsafeRawPointer) -> UInt64 {
        let word = UInt64(littleEndian: eight.loadUnaligned(as: UInt64.self))
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & high
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return control | (word & high) | ((quote &- ones) & ~quote & high) | ((backslash &- ones) & ~backslash & high)
    }

    /// Steps over one well-formed UTF-8 sequence starting at `index` (a byte of 0x80 or more),
    /// or throws naming the offset of its first byte. Well-formed is Table 3-7 of the Unicode
    /// Standard (§3.9): no overlong forms, no surrogates (U+D800…U+DFFF), nothing past
    /// U+10FFFF. RFC 8259 §8.1 and RFC 7493 §2.1 ask for exactly this; without the check,
    /// `String(decoding:as:)` replaced bad bytes with U+FFFD and the altered text was stored.
    package mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF  // the range of the second byte
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw error("invalid UTF-8")
        }
        guard index + length <= bytes.count else { throw error("invalid UTF-8") }
        guard (low...high).contains(bytes[index + 1]) else { throw error("invalid UTF-8") }
        for offset in 2..<max(2, length) where !(0x80...0xBF).contains(bytes[index + offset]) {
            throw error("invalid UTF-8")
        }
        index += length
    }

    /// `\uXXXX`, joining a UTF-16 surrogate pair into one scalar (RFC 8259 §7).
    package mutating func parseUnicodeEscape() throws(JSONParseError) -> String {
        let high = try parseHex4()
        if (0xD800...0xDBFF).contains(high) {
            guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("unpaired surrogate")
            }
            index += 2
            let low = try parseHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate") }
            let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else { throw error("invalid code point") }
            return String(Character(scalar))
        }
        guard let scalar = Unicode.Scalar(high) else { throw error("unpaired surrogate") }
        return String(Character(scalar))
    }

    package mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Checks the RFC 8259 §6 number grammar, then converts with `strtod` semantics.
    package mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid value") }
        // Digits are gathered as an integer on the way, for the exact fast path below.
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { accumulateDigits(&mantissa, &digits) }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
            let before = digits
            accumulateDigits(&mantissa, &digits)
            fractionDigits = digits - before
        }
        var hasExponent = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            hasExponent = true
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
            skipDigits()
        }
        // Clinger's fast path: an integer below 2^53 and a power of ten up to 10^22 are both
        // exact doubles, so their IEEE quotient is the correctly rounded value, the same one
        // strtod gives. Numbers in uploads (milliseconds, ports, percentages) nearly all fit.
        if !hasExponent, digits <= 15, fractionDigits <= 22 {
            let magnitude = Double(mantissa) / Self.powersOfTen[fractionDigits]
            return negative ? -magnitude : magnitude
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw error("number out of range") }
        return value
    }

    /// 10^0 … 10^22, every one exact in a double.
    package static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// Reads digits into `mantissa` while it stays exact (15 digits: below 2^53); `digits`
    /// counts them all, so a longer number is seen to need the slow path.
    package mutating func accumulateDigits(_ mantissa: inout UInt64, _ digits: inout Int) {
        while index < bytes.count, isDigit(bytes[index]) {
            if digits < 15 { mantissa = mantissa * 10 + UInt64(bytes[index] - UInt8(ascii: "0")) }
            digits += 1
            index += 1
        }
    }

    package func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    package mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
}
