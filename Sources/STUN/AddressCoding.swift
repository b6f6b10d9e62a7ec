/// MAPPED-ADDRESS and XOR-MAPPED-ADDRESS values (RFC 8489 §14.1, §14.2): a reserved byte, the
/// family, the port, the address; the XOR form masks the port with the cookie's top 16 bits and
/// the address with the cookie (IPv4) or the cookie followed by the transaction ID (IPv6).
enum AddressCoding {
    static func encode(_ address: STUNAddress, xorWith transactionID: STUNTransactionID?) -> [UInt8] {
        var value: [UInt8] = [0, address.familyCode]
        if let transactionID {
            value.appendBigEndian(address.port ^ UInt16(STUNMessage.magicCookie >> 16))
            let mask = xorMask(transactionID)
            value.append(contentsOf: address.ip.enumerated().map { $0.element ^ mask[$0.offset] })
        } else {
            value.appendBigEndian(address.port)
            value.append(contentsOf: address.ip)
        }
        return value
    }

    static func decode(_ value: ArraySlice<UInt8>, xorWith transactionID: STUNTransactionID?, type: UInt16)
        throws(STUNDecodingError) -> STUNAddress
    {
        let bytes = Array(value)
        guard bytes.count >= 4 else { throw .malformedAttribute(type: type) }
        let ipCount: Int
        switch bytes[1] {
        case 0x01: ipCount = 4
        case 0x02: ipCount = 16
        default: throw .malformedAttribute(type: type)
        }
        guard bytes.count == 4 + ipCount else { throw .malformedAttribute(type: type) }
        var port = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        var ip = Array(bytes[4...])
        if let transactionID {
            port ^= UInt16(STUNMessage.magicCookie >> 16)
            let mask = xorMask(transactionID)
            ip = ip.enumerated().map { $0.element ^ mask[$0.offset] }
        }
        guard let address = STUNAddress(ip: ip, port: port) else { throw .malformedAttribute(type: type) }
        return address
    }

    /// The cookie then the transaction ID: 16 bytes, of which IPv4 uses the first 4.
    private static func xorMask(_ transactionID: STUNTransactionID) -> [UInt8] {
        var mask: [UInt8] = []
        mask.appendBigEndian(STUNMessage.magicCookie)
        return mask + transactionID.bytes
    }
}
