import Foundation

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
///
/// A class over one growing buffer of its own: `[UInt8].append` checks uniqueness per byte,
/// which made the names alone cost more than the values.
public final class JSONWriter {
    /// A NaN or an infinity, which JSON cannot carry (RFC 8259 §6); `JSONEncoder` throws too.
    public struct NonFiniteNumber: Error {}

    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Whether a value was written at this nesting level, so the next one needs a comma.
    private var needsComma = false
    /// Set by `double` for a value JSON cannot carry; the document must then be discarded.
    public private(set) var sawNonFiniteNumber = false

    /// Whether `base` is this writer's own allocation, or storage lent by `document` until it
    /// outgrows it.
    private var ownsBuffer = true

    public init(capacity: Int = 1024) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    /// A writer over storage it does not own (`document`); it moves to its own when that fills.
    private init(lent buffer: UnsafeMutableBufferPointer<UInt8>) {
        // `document` asks for at least 64 bytes, so the base address exists.
        base = buffer.baseAddress ?? .allocate(capacity: 64)
        capacity = buffer.baseAddress == nil ? 64 : buffer.count
        ownsBuffer = buffer.baseAddress == nil
    }

    deinit { if ownsBuffer { base.deallocate() } }

    /// A whole document written by `write` straight into the storage of the array returned:
    /// `JSONWriter(capacity:)` then `finished()` allocated a second buffer and copied the
    /// document into it (a malloc slow path and a memcpy of kilobytes per stored document).
    /// A document larger than `capacity` is written on into the writer's own buffer and copied
    /// once, as before.
    public static func document(
        capacity: Int, _ write: (JSONWriter) -> Void
    ) throws(NonFiniteNumber) -> [UInt8] {
        var outgrown: JSONWriter?
        var sawNonFinite = false
        let bytes = [UInt8](unsafeUninitializedCapacity: max(64, capacity)) { buffer, initialized in
            let json = JSONWriter(lent: buffer)
            write(json)
            sawNonFinite = json.sawNonFiniteNumber
            if json.ownsBuffer {
                outgrown = json
                initialized = 0
            } else {
                initialized = json.count
            }
        }
        if sawNonFinite { throw NonFiniteNumber() }
        return outgrown?.bytes ?? bytes
    }

    /// What was written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The document, or `NonFiniteNumber` when a double could not be written.
    public func finished() throws(NonFiniteNumber) -> [UInt8] {
        if sawNonFiniteNumber { throw NonFiniteNumber() }
        return bytes
    }

    // MARK: structure

    public func beginObject() {
        separate()
        append(UInt8(ascii: "{"))
        needsComma = false
    }

    public func endObject() {
        append(UInt8(ascii: "}"))
        needsComma = true
    }

    public func beginArray() {
        separate()
        append(UInt8(ascii: "["))
        needsComma = false
    }

    public func endArray() {
        append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object member's name; the value written next is its value. Names are the types'
    /// coding keys: plain ASCII that needs no escaping.
    public func key(_ name: StaticString) {
        // One capacity check and plain stores: a document has a key per value, so this is
        // the writer's most frequent call.
        name.withUTF8Buffer { name in
            let needed = name.count + 4
            if count + needed > capacity { grow(to: count + needed) }
            var at = base + count
            if needsComma { at.pointee = UInt8(ascii: ","); at += 1 }
            at.pointee = UInt8(ascii: "\"")
            at += 1
            // Eight bytes at a time, then the rest: keys are 2 to 20 bytes, and a loop per byte
            // was the writer's largest cost after escaping strings.
            if let source = name.baseAddress {
                var offset = 0
                while offset + 8 <= name.count {
                    UnsafeMutableRawPointer(at + offset).storeBytes(
                        of: UnsafeRawPointer(source + offset).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    offset += 8
                }
                while offset < name.count { at[offset] = source[offset]; offset += 1 }
            }
            at += name.count
            at[0] = UInt8(ascii: "\"")
            at[1] = UInt8(ascii: ":")
            count = at - base + 2
        }
        needsComma = false
    }

    /// An object member's name chosen at run time (a map's key), escaped as a string is.
    public func key(_ name: String) {
        separate()
        var text = name
        text.withUTF8 { appendQuoted($0) }
        append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: values

    public func null() {
        separate()
        append("null")
        needsComma = true
    }

    public func bool(_ value: Bool) {
        separate()
        append(value ? "true" : "false")
        needsComma = true
    }

    public func int(_ value: Int) {
        separate()
        appendDecimal(value)
        needsComma = true
    }

    public func double(_ value: Double) {
        separate()
        needsComma = true
        guard value.isFinite else {
            sawNonFiniteNumber = true
            append(UInt8(ascii: "0"))
            return
        }
        // An integral value below 2^53 is what `description` spells "3600.0", written as
        // "3600" (its digits, without a String); -0.0 is left to `description` ("-0").
        if value == value.rounded(.towardZero), abs(value) < 9_007_199_254_740_992, value != 0 || value.sign == .plus {
            appendDecimal(Int(value))
            return
        }
        if appendShortDecimal(value) { return }
        // `description` is the shortest form that reads back as the same double; Foundation
        // writes it without a trailing ".0" (3600.0 -> 3600).
        var text = value.description
        text.withUTF8 { utf8 in
            if utf8.count > 2, utf8[utf8.count - 2] == UInt8(ascii: "."), utf8[utf8.count - 1] == UInt8(ascii: "0") {
                append(UnsafeBufferPointer(rebasing: utf8[0..<(utf8.count - 2)]))
            } else {
                append(utf8)
            }
        }
    }

    public func string(_ value: String) {
        separate()
        var text = value
        text.withUTF8 { appendQuoted($0) }
        needsComma = true
    }

    /// RFC 9562 §4: a UUID as a string in lower case, without a String in between.
    public func string(_ uuid: UUID) {
        separate()
        append(UInt8(ascii: "\""))
        if count + 36 > capacity { grow(to: count + 36) }
        let hex: StaticString = "0123456789abcdef"
        hex.withUTF8Buffer { digits in
            withUnsafeBytes(of: uuid.uuid) { bytes in
                for (position, byte) in bytes.enumerated() {
                    if position == 4 || position == 6 || position == 8 || position == 10 { append(UInt8(ascii: "-")) }
                    append(digits[Int(byte >> 4)])
                    append(digits[Int(byte & 0x0F)])
                }
            }
        }
        append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// A time as `RFC3339Timestamp.format` spells it (ASCII that needs no escape).
    public func timestamp(_ date: Date) {
        separate()
        append(UInt8(ascii: "\""))
        RFC3339Timestamp.withFormatted(date) { append($0) }
        append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Bytes that already are one complete JSON value, written as they are.
    public func raw(_ json: [UInt8]) {
        separate()
        json.withUnsafeBufferPointer { append($0) }
        needsComma = true
    }

    // MARK: members (key and value in one call)

    public func member(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    public func member(_ name: StaticString, _ value: UUID) {
        key(name)
        string(value)
    }

    public func member(_ name: StaticString, timestamp value: Date) {
        key(name)
        timestamp(value)
    }

    public func member(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    public func member(_ name: StaticString, _ value: Double) {
        key(name)
        double(value)
    }

    public func member(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// Left out when nil, as `encodeIfPresent` does.
    public func memberIfPresent(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        member(name, value)
    }

    public func memberIfPresent(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        member(name, value)
    }

    public func memberIfPresent(_ name: StaticString, _ value: Double?) {
        guard let value else { return }
        member(name, value)
    }

    /// Written as `null` when nil, for documents whose schema lists the member as required.
    public func memberOrNull(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    public func memberOrNull(_ name: StaticString, _ value: Int?) {
        key(name)
        if let value { int(value) } else { null() }
    }

    public func memberOrNull(_ name: StaticString, _ value: Double?) {
        key(name)
        if let value { double(value) } else { null() }
    }

    // MARK: bytes

    /// Decimal digits, most significant first, without a String in between.
    private func appendDecimal(_ value: Int) {
        if value >= 0, value < 10 {
            append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        if value < 0 { append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        let start = count
        while rest > 0 {
            append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        }
        var low = start, high = count - 1
        while low < high {
            (base[low], base[high]) = (base[high], base[low])
            low += 1
            high -= 1
        }
    }

    /// Writes `value` as `description` would when it has at most six decimals and lies in
    /// [0.001, 1e9) (milliseconds, percentages: nearly every figure), without a String.
    ///
    /// The fewest decimals `k` for which `m / 10^k` (m the rounded `value × 10^k`, below 2^53)
    /// divides back to exactly `value` give the shortest digits that read back as `value`, the
    /// digits `description` picks: the division is correctly rounded, as parsing is, and in
    /// this range a double's spacing is below half of 10^-6, so no other `m` reads back too.
    /// `description` spells this range without an exponent.
    private func appendShortDecimal(_ value: Double) -> Bool {
        let magnitude = value.magnitude
        guard magnitude >= 0.001, magnitude < 1e9 else { return false }
        var scale = 1.0
        for decimals in 1...6 {
            scale *= 10
            let scaled = (magnitude * scale).rounded()
            guard scaled / scale == magnitude else { continue }
            if value < 0 { append(UInt8(ascii: "-")) }
            let digits = Int(scaled)
            let whole = digits / Int(scale), fraction = digits % Int(scale)
            appendDecimal(whole)
            append(UInt8(ascii: "."))
            // The fraction's digits, leading zeros kept (0.05 -> "05"); no trailing zero, as
            // `decimals` is the fewest that read back.
            var divisor = Int(scale) / 10
            for _ in 0..<decimals {
                append(UInt8(ascii: "0") + UInt8(fraction / divisor % 10))
                divisor /= 10
            }
            return true
        }
        return false
    }

    private func separate() {
        if needsComma { append(UInt8(ascii: ",")) }
    }

    @inline(__always)
    private func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    private func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress, !buffer.isEmpty else { return }
        if count + buffer.count > capacity { grow(to: count + buffer.count) }
        (base + count).update(from: source, count: buffer.count)
        count += buffer.count
    }

    private func append(_ literal: StaticString) {
        literal.withUTF8Buffer { append($0) }
    }

    private func grow(to needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.moveInitialize(from: base, count: count)
        if ownsBuffer { base.deallocate() }
        ownsBuffer = true
        base = moved
        capacity = larger
    }

    /// Whether any of 8 bytes is a control character, `"` or `\` (SWAR: a byte of
    /// `word - 0x01…` borrows into its high bit exactly when it was zero; one bits beyond
    /// the first such byte can be false positives, which only send that word down the
    /// byte-by-byte path).
    @inline(__always)
    package static func mayNeedEscape(_ eight: UnsafeRawPointer) -> Bool {
        let word = eight.loadUnaligned(as: UInt64.self)
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & high
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote & high
        let hasBackslash = (backslash &- ones) & ~backslash & high
        return control | hasQuote | hasBackslash != 0
    }

    /// RFC 8259 §7, spelled as Foundation spells it (see the type's note). Runs of bytes that
    /// need no escape are copied in one go.
    private func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while index < utf8.count {
            // Eight bytes at a time while none needs an escape (most text needs none).
            if index + 8 <= utf8.count, let base = utf8.baseAddress, !Self.mayNeedEscape(UnsafeRawPointer(base + index)) {
                index += 8
                continue
            }
            let byte = utf8[index]
            index += 1
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            let index = index - 1
            if runStart < index { append(UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): append(byte)
            case 0x08: append(UInt8(ascii: "b"))
            case 0x09: append(UInt8(ascii: "t"))
            case 0x0A: append(UInt8(ascii: "n"))
            case 0x0C: append(UInt8(ascii: "f"))
            case 0x0D: append(UInt8(ascii: "r"))
            default:
                let hex: StaticString = "0123456789abcdef"
                append("u00")
                hex.withUTF8Buffer { digits in
                    append(digits[Int(byte >> 4)])
                    append(digits[Int(byte & 0x0F)])
                }
            }
        }
        if runStart < utf8.count { append(UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count])) }
        append(UInt8(ascii: "\""))
    }
}
