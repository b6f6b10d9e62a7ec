extension STUNMessage {
    /// Parses one datagram. Rejects anything that is not a well-formed Binding message: short
    /// input, top bits set, wrong cookie, a length that disagrees with the datagram or is not a
    /// multiple of 4, truncated or malformed known attributes, a FINGERPRINT that does not
    /// match or is not last (RFC 8489 §5, §14, §14.7).
    public init(decoding bytes: [UInt8]) throws(STUNDecodingError) {
        guard bytes.count >= Self.headerSize else { throw .tooShort }
        guard bytes[0] & 0xC0 == 0 else { throw .notSTUN }
        let type = bytes.bigEndian16(at: 0)
        let length = Int(bytes.bigEndian16(at: 2))
        guard bytes.bigEndian32(at: 4) == Self.magicCookie else { throw .badMagicCookie }
        guard length % 4 == 0 else { throw .misaligned }
        guard Self.headerSize + length == bytes.count else { throw .badLength }
        guard let kind = Kind(rawValue: type) else { throw .unsupportedMessageType(type) }
        let transactionID = STUNTransactionID(unchecked: Array(bytes[8..<Self.headerSize]))

        var attributes: [STUNAttribute] = []
        var offset = Self.headerSize
        while offset < bytes.count {
            if attributes.last == .fingerprint { throw .attributeAfterFingerprint }
            guard offset + 4 <= bytes.count else { throw .truncatedAttribute }
            let attributeType = bytes.bigEndian16(at: offset)
            let valueLength = Int(bytes.bigEndian16(at: offset + 2))
            let valueStart = offset + 4
            let next = valueStart + (valueLength + 3) / 4 * 4
            guard next <= bytes.count else { throw .truncatedAttribute }
            let value = bytes[valueStart..<(valueStart + valueLength)]
            if attributeType == STUNAttributeType.fingerprint {
                guard valueLength == 4 else { throw .malformedAttribute(type: attributeType) }
                let expected = CRC32.checksum(bytes[0..<offset]) ^ Self.fingerprintXOR
                guard bytes.bigEndian32(at: valueStart) == expected else { throw .fingerprintMismatch }
                attributes.append(.fingerprint)
            } else {
                attributes.append(try STUNAttribute(type: attributeType, value: value, transactionID: transactionID))
            }
            offset = next
        }
        self.init(kind: kind, transactionID: transactionID, attributes: attributes)
    }
}

extension STUNAttribute {
    init(type: UInt16, value: ArraySlice<UInt8>, transactionID: STUNTransactionID) throws(STUNDecodingError) {
        switch type {
        case STUNAttributeType.xorMappedAddress:
            self = .xorMappedAddress(try AddressCoding.decode(value, xorWith: transactionID, type: type))
        case STUNAttributeType.mappedAddress:
            self = .mappedAddress(try AddressCoding.decode(value, xorWith: nil, type: type))
        case STUNAttributeType.answerAfter:
            guard value.count == 4 else { throw .malformedAttribute(type: type) }
            self = .answerAfter(milliseconds: Array(value).bigEndian32(at: 0))
        case STUNAttributeType.padding:
            self = .padding(value.count)
        case STUNAttributeType.software:
            guard let text = String(validating: value, as: UTF8.self) else { throw .malformedAttribute(type: type) }
            self = .software(text)
        case STUNAttributeType.errorCode:
            let bytes = Array(value)
            // RFC 8489 §14.8: class 3–6, number 0–99.
            guard bytes.count >= 4, (3...6).contains(bytes[2] & 0x07), bytes[3] < 100,
                let reason = String(validating: bytes[4...], as: UTF8.self)
            else { throw .malformedAttribute(type: type) }
            self = .errorCode(code: Int(bytes[2] & 0x07) * 100 + Int(bytes[3]), reason: reason)
        default:
            self = .other(type: type, value: Array(value))
        }
    }
}

extension [UInt8] {
    func bigEndian16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    func bigEndian32(at offset: Int) -> UInt32 {
        UInt32(bigEndian16(at: offset)) << 16 | UInt32(bigEndian16(at: offset + 2))
    }
}
