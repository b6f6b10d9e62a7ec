extension HTTPHeaders {
    /// A field as `String`s. A struct rather than the public tuple: the runtime copies and
    /// destroys an array of tuples element by element through generic tuple witnesses.
    struct StoredField {
        var name: String
        var value: String
        /// A token name and a value without CR, LF or other controls (RFC 9110 §5.5), so it
        /// cannot split a response. Decided once, when the field is added: a response built
        /// once and sent many times is not validated per request.
        var isValid: Bool

        init(name: String, value: String) {
            self.name = name
            self.value = value
            isValid = name.withUTF8Bytes { $0.isToken() } && value.withUTF8Bytes { $0.isFieldValue() }
        }

        /// A field already validated (by the parser, or built from checked parts).
        init(name: String, value: String, isValid: Bool) {
            self.name = name
            self.value = value
            self.isValid = isValid
        }

        func withUTF8(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
            name.withUTF8Bytes { name in value.withUTF8Bytes { value in body(name, value) } }
        }
    }
}

extension String {
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return withUTF8Bytes { left in other.withUTF8Bytes { right in left.equalsIgnoringASCIICase(right) } }
    }

    /// Calls `body` with the string's UTF-8. Native strings (all of them on Linux) are read in
    /// place; only a bridged, non-contiguous one is copied first.
    @inline(__always)
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(body) ?? body(UnsafeBufferPointer(start: nil, count: 0))
    }
}

@inline(__always)
func asciiLowercase(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
}
