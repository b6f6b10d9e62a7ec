/// chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ) (RFC 9112 §7.1.1).
/// Extensions are validated and ignored, as §7.1.1 requires of unrecognised ones.
enum ChunkExtensions {
    static func validate(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        var index = 0
        func skipWhitespace() {
            while index < bytes.count, ByteClass.isWhitespace(bytes[index]) { index += 1 }
        }
        func token() -> Bool {
            let start = index
            while index < bytes.count, ByteClass.isToken(bytes[index]) { index += 1 }
            return index > start
        }
        func quotedString() -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return true
                }
                if byte == UInt8(ascii: "\\") {
                    index += 1
                    guard index < bytes.count, ByteClass.isFieldValue(bytes[index]) else { return false }
                } else if !ByteClass.isFieldValue(byte) {
                    return false
                }
                index += 1
            }
            return false
        }

        skipWhitespace()
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: ";") else { throw invalid }
            index += 1
            skipWhitespace()
            guard token() else { throw invalid }
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                index += 1
                skipWhitespace()
                guard token() || quotedString() else { throw invalid }
                skipWhitespace()
            }
        }
    }

    private static let invalid = HTTPParseError(.badRequest, "The chunk extension is malformed.")
}
