extension STUNMessage {
    /// The message on the wire: attributes in order, each padded to 4 bytes with zeros, and
    /// FINGERPRINT (if listed anywhere) last, computed over everything before it (RFC 8489 §14.7).
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.headerSize + 64)
        out.appendBigEndian(kind.rawValue)
        out.appendBigEndian(UInt16(0))  // length, set below
        out.appendBigEndian(Self.magicCookie)
        out.append(contentsOf: transactionID.bytes)
        for attribute in attributes where attribute != .fingerprint {
            let (type, value) = attribute.wireValue(transactionID: transactionID)
            out.appendAttribute(type: type, value: value)
        }
        if hasFingerprint {
            // The length field must already count FINGERPRINT's 8 bytes when the CRC is taken.
            out.setLength(bodyCount: out.count - Self.headerSize + 8)
            let crc = CRC32.checksum(out[...]) ^ Self.fingerprintXOR
            var value: [UInt8] = []
            value.appendBigEndian(crc)
            out.appendAttribute(type: STUNAttributeType.fingerprint, value: value)
        }
        out.setLength(bodyCount: out.count - Self.headerSize)
        return out
    }
}

extension STUNAttribute {
    /// Type code and unpadded value bytes.
    func wireValue(transactionID: STUNTransactionID) -> (UInt16, [UInt8]) {
        switch self {
        case .xorMappedAddress(let address):
            return (STUNAttributeType.xorMappedAddress, AddressCoding.encode(address, xorWith: transactionID))
        case .mappedAddress(let address):
            return (STUNAttributeType.mappedAddress, AddressCoding.encode(address, xorWith: nil))
        case .answerAfter(let milliseconds):
            var value: [UInt8] = []
            value.appendBigEndian(milliseconds)
            return (STUNAttributeType.answerAfter, value)
        case .padding(let count):
            return (STUNAttributeType.padding, [UInt8](repeating: 0, count: min(max(count, 0), Self.maxValueLength)))
        case .software(let text):
            return (STUNAttributeType.software, Array(text.utf8.prefix(Self.maxValueLength)))
        case .errorCode(let code, let reason):
            // RFC 8489 §14.8: 21 reserved bits, a 3-bit class (hundreds) and the number 0–99.
            let clamped = min(max(code, 300), 699)
            let value = [0, 0, UInt8(clamped / 100), UInt8(clamped % 100)] + Array(reason.utf8.prefix(Self.maxValueLength - 4))
            return (STUNAttributeType.errorCode, value)
        case .fingerprint:
            return (STUNAttributeType.fingerprint, [0, 0, 0, 0])
        case .other(let type, let value):
            return (type, Array(value.prefix(Self.maxValueLength)))
        }
    }

    /// The largest value whose padded length still fits the 16-bit length field.
    static let maxValueLength = 65_532
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendBigEndian(_ value: UInt32) {
        appendBigEndian(UInt16(truncatingIfNeeded: value >> 16))
        appendBigEndian(UInt16(truncatingIfNeeded: value))
    }

    /// Type, length, value, then zero bytes up to the next multiple of 4 (RFC 8489 §14).
    mutating func appendAttribute(type: UInt16, value: [UInt8]) {
        appendBigEndian(type)
        appendBigEndian(UInt16(value.count))
        append(contentsOf: value)
        let padding = (4 - value.count % 4) % 4
        append(contentsOf: repeatElement(0, count: padding))
    }

    mutating func setLength(bodyCount: Int) {
        let length = UInt16(clamping: bodyCount)
        self[2] = UInt8(truncatingIfNeeded: length >> 8)
        self[3] = UInt8(truncatingIfNeeded: length)
    }
}
