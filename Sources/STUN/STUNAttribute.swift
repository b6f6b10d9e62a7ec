/// The attributes this codec understands; anything else round-trips as ``other(type:value:)``.
public enum STUNAttribute: Sendable, Equatable {
    /// 0x0020, RFC 8489 §14.2: the reflexive address, XORed so NATs that rewrite addresses in
    /// payloads leave it alone.
    case xorMappedAddress(STUNAddress)
    /// 0x0001, RFC 8489 §14.1: what RFC 3489 servers send instead.
    case mappedAddress(STUNAddress)
    /// 0xC0A1, ours and comprehension-optional (RFC 8489 §14: 0x8000–0xFFFF may be ignored): ask
    /// the reflector to answer again after this many milliseconds (the UDP idle-timeout probe).
    case answerAfter(milliseconds: UInt32)
    /// 0x0026 PADDING (RFC 5780 §7.6): this many zero bytes, so a request is at least as large
    /// as the answers it asks for.
    case padding(Int)
    /// 0x8022, RFC 8489 §14.14: a description of the sender's software.
    case software(String)
    /// 0x0009, RFC 8489 §14.8: a code 300–699 and a reason phrase.
    case errorCode(code: Int, reason: String)
    /// 0x8028, RFC 8489 §14.7: CRC-32 of the message XOR 0x5354554e; always last, computed on
    /// encode and checked on decode.
    case fingerprint
    case other(type: UInt16, value: [UInt8])
}

/// Attribute type codes on the wire.
enum STUNAttributeType {
    static let mappedAddress: UInt16 = 0x0001
    static let errorCode: UInt16 = 0x0009
    static let xorMappedAddress: UInt16 = 0x0020
    static let padding: UInt16 = 0x0026
    static let software: UInt16 = 0x8022
    static let fingerprint: UInt16 = 0x8028
    static let answerAfter: UInt16 = 0xC0A1
}
