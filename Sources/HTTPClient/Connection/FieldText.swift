/// The few text operations reading a response head needs, on bytes and ASCII only: a field
/// name is a token and optional whitespace is SP or HTAB (RFC 9110 §5.1, §5.6.3). Foundation's
/// `components(separatedBy:)`, `trimmingCharacters(in:)` and `caseInsensitiveCompare` did the
/// same work several times slower, once per response of every webhook attempt (issue 16).
enum FieldText {
    /// The lines of a head (without its final empty line), split at CRLF.
    static func lines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = head.startIndex, index = head.startIndex
        while index < head.endIndex {
            if head[index] == 13, index + 1 < head.endIndex, head[index + 1] == 10 {
                lines.append(head[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        lines.append(head[start..<head.endIndex])
        return lines
    }

    /// `bytes` without leading and trailing SP and HTAB.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    /// `text` without leading and trailing SP and HTAB.
    static func trimmed(_ text: Substring) -> Substring {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { !isWhitespace($0) }), let last = utf8.lastIndex(where: { !isWhitespace($0) })
        else { return text[text.endIndex...] }
        return Substring(utf8[first...last])
    }

    /// Equal but for the case of ASCII letters.
    static func equalIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8) { lowered($0) == lowered($1) }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 }

    private static func lowered(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
}
