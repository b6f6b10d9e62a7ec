/// Parses the text output of a one-dimensional array (PostgreSQL manual, 8.15.6):
/// `{a,"b c","d\"e",NULL}`. Unquoted `NULL` is SQL NULL; quoted `"NULL"` is the string.
enum PostgresTextArray {
    static func parse(_ bytes: [UInt8]) -> [String?]? {
        var input = bytes[...]
        // Arrays with non-default lower bounds are prefixed with "[2:3]=".
        if input.first == UInt8(ascii: "["), let equals = input.firstIndex(of: UInt8(ascii: "=")) {
            input = input[input.index(after: equals)...]
        }
        guard input.first == UInt8(ascii: "{"), input.last == UInt8(ascii: "}") else { return nil }
        input = input.dropFirst().dropLast()
        if input.isEmpty { return [] }

        var elements: [String?] = []
        var current: [UInt8] = []
        var quoted = false
        var inQuotes = false
        var escaping = false
        for byte in input {
            if escaping {
                current.append(byte)
                escaping = false
            } else if byte == UInt8(ascii: "\\") {
                escaping = true
            } else if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
                quoted = true
            } else if byte == UInt8(ascii: "{") && !inQuotes {
                return nil  // multi-dimensional arrays are not supported
            } else if byte == UInt8(ascii: ",") && !inQuotes {
                elements.append(element(current, quoted: quoted))
                current = []
                quoted = false
            } else {
                current.append(byte)
            }
        }
        guard !inQuotes, !escaping else { return nil }
        elements.append(element(current, quoted: quoted))
        return elements
    }

    private static func element(_ bytes: [UInt8], quoted: Bool) -> String? {
        if !quoted && bytes == Array("NULL".utf8) { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
