/// The query component split on `&` and `=`, percent-decoded, with `+` read as a space
/// (the form-urlencoded convention clients use for query strings).
public struct QueryParameters: Sendable, Sequence {
    public typealias Element = (name: String, value: String)
    private let items: [Element]

    /// No parameters (a target without `?`).
    init() {
        items = []
    }

    public init(_ query: Substring) {
        guard !query.isEmpty else {
            items = []
            return
        }
        items = query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            guard let equals = pair.firstIndex(of: "=") else {
                return (Self.decode(pair), "")
            }
            return (Self.decode(pair[..<equals]), Self.decode(pair[pair.index(after: equals)...]))
        }
    }

    /// The first value for `name`.
    public subscript(name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    public func values(for name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    public var isEmpty: Bool { items.isEmpty }

    public func makeIterator() -> IndexingIterator<[Element]> {
        items.makeIterator()
    }

    static func decode(_ text: Substring) -> String {
        percentDecode(text, plusAsSpace: true)
    }
}

/// Percent-decoding (RFC 3986 §2.1). Malformed escapes are kept literally rather than
/// rejected, and invalid UTF-8 is repaired, so decoding never fails.
func percentDecode(_ text: Substring, plusAsSpace: Bool) -> String {
    let utf8 = text.utf8
    guard utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else {
        return String(text)
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(utf8.count)
    var index = utf8.startIndex
    while index != utf8.endIndex {
        let byte = utf8[index]
        if byte == UInt8(ascii: "%"),
           let first = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex), first != utf8.endIndex,
           let second = utf8.index(first, offsetBy: 1, limitedBy: utf8.endIndex), second != utf8.endIndex,
           let high = hexValue(utf8[first]), let low = hexValue(utf8[second]) {
            bytes.append(high << 4 | low)
            index = utf8.index(after: second)
            continue
        }
        bytes.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
        index = utf8.index(after: index)
    }
    return String(decoding: bytes, as: UTF8.self)
}

func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
