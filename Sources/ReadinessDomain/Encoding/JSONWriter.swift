/// JSON text appended byte by byte to one buffer, for the documents every upload encodes
/// (its canonical body, its evaluation, the site's assessment): Foundation's `JSONEncoder`
/// spent about 40% of the ingest CPU on them, mostly boxing values and sorting keys.
///
/// The output is exactly what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`
/// writes, so stored documents and the ETags hashed from them keep their bytes:
/// - callers write an object's keys in byte order (what `.sortedKeys` sorts by), and leave
///   out nil optionals as synthesized `Codable` does (`encodeIfPresent`);
/// - strings are escaped per RFC 8259 §7 as Foundation does it: `"` and `\`, the short forms
///   `\b \t \n \f \r`, every other control character as `\u00xx` in lower-case hex, and
///   nothing else (not `/`, not DEL, not U+2028);
/// - a double is its shortest round-trip `description` without a trailing `.0` (`3600`,
///   `1e+16`, `1e-07`), an integer its decimal digits.
/// The equivalence is held by tests over generated documents (JSONWriterTests).
public struct JSONWriter {
    /// A NaN or an infinity, which JSON cannot carry (RFC 8259 §6); `JSONEncoder` throws too.
    public struct NonFiniteNumber: Error {}

    public private(set) var bytes: [UInt8] = []
    /// Whether a value was written at this nesting level, so the next one needs a comma.
    private var needsComma = false
    /// Set by `double` for a value JSON cannot carry; the document must then be discarded.
    public private(set) var sawNonFiniteNumber = false

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// The document, or `NonFiniteNumber` when a double could not be written.
    public func finished() throws(NonFiniteNumber) -> [UInt8] {
        if sawNonFiniteNumber { throw NonFiniteNumber() }
        return bytes
    }

    // MARK: structure

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object member's name; the value written next is its value. Names are the types'
    /// coding keys: plain ASCII that needs no escaping.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: values

    public mutating func null() {
        separate()
        Self.append("null", to: &bytes)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        Self.append(value ? "true" : "false", to: &bytes)
        needsComma = true
    }

    public mutating func int(_ value: Int) {
        separate()
        if value >= 0, value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            var digits = value.description
            digits.withUTF8 { bytes.append(contentsOf: $0) }
        }
        needsComma = true
    }

    public mutating func double(_ value: Double) {
        separate()
        needsComma = true
        guard value.isFinite else {
            sawNonFiniteNumber = true
            bytes.append(UInt8(ascii: "0"))
            return
        }
        // `description` is the shortest form that reads back as the same double; Foundation
        // writes it without a trailing ".0" (3600.0 -> 3600).
        var text = value.description
        text.withUTF8 { utf8 in
            if utf8.count > 2, utf8[utf8.count - 2] == UInt8(ascii: "."), utf8[utf8.count - 1] == UInt8(ascii: "0") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[0..<(utf8.count - 2)]))
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
    }

    public mutating func string(_ value: String) {
        separate()
        var text = value
        text.withUTF8 { Self.appendQuoted($0, to: &bytes) }
        needsComma = true
    }

    /// Bytes that already are one complete JSON value, written as they are.
    public mutating func raw(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    // MARK: members (key and value in one call)

    public mutating func member(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    public mutating func member(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    public mutating func member(_ name: StaticString, _ value: Double) {
        key(name)
        double(value)
    }

    public mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// Left out when nil, as `encodeIfPresent` does.
    public mutating func memberIfPresent(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        member(name, value)
    }

    public mutating func memberIfPresent(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        member(name, value)
    }

    public mutating func memberIfPresent(_ name: StaticString, _ value: Double?) {
        guard let value else { return }
        member(name, value)
    }

    /// Written as `null` when nil, for documents whose schema lists the member as required.
    public mutating func memberOrNull(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    public mutating func memberOrNull(_ name: StaticString, _ value: Int?) {
        key(name)
        if let value { int(value) } else { null() }
    }

    public mutating func memberOrNull(_ name: StaticString, _ value: Double?) {
        key(name)
        if let value { double(value) } else { null() }
    }

    // MARK: bytes

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private static func append(_ literal: StaticString, to bytes: inout [UInt8]) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// RFC 8259 §7, spelled as Foundation spells it (see the type's note). Runs of bytes that
    /// need no escape are copied in one go.
    static func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            default:
                let hex: StaticString = "0123456789abcdef"
                hex.withUTF8Buffer { digits in
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
                }
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count])) }
        bytes.append(UInt8(ascii: "\""))
    }
}
