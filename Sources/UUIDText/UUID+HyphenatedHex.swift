import Foundation

extension UUID {
    /// Parses the RFC 9562 §4 string form, `8-4-4-4-12` hex digits in either case. By hand:
    /// Foundation's `UUID(uuidString:)` on Linux goes through `sscanf`, a few thousand
    /// instructions per upload. The one parser of that form: JSON members, probe results and
    /// PostgreSQL's `uuid_out` text all read through it (inlinable: each caller is in
    /// another module, and these run per row and per upload).
    @inlinable
    public init?(hyphenatedHex text: String) {
        var text = text
        guard let bytes = text.withUTF8({ Self.parse(hyphenatedHex: $0) }) else { return nil }
        self.init(uuid: bytes)
    }

    @inlinable
    public static func parse(hyphenatedHex text: UnsafeBufferPointer<UInt8>) -> uuid_t? {
        guard text.count == 36 else { return nil }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &uuid) { bytes -> Bool in
            var position = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    guard text[position] == UInt8(ascii: "-") else { return false }
                    position += 1
                }
                guard let high = hexDigit(text[position]), let low = hexDigit(text[position + 1]) else { return false }
                bytes[index] = high << 4 | low
                position += 2
            }
            return true
        }
        return parsed ? uuid : nil
    }

    @inlinable @inline(__always)
    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
