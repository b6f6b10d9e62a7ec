/// Why bytes are not a STUN message this codec accepts.
public enum STUNDecodingError: Error, Sendable, Equatable {
    /// Fewer than the 20 bytes of a header.
    case tooShort
    /// The two most significant bits are not zero (RFC 8489 §5): not STUN, e.g. RTP or DTLS.
    case notSTUN
    /// The magic cookie is not 0x2112A442 (RFC 8489 §5).
    case badMagicCookie
    /// The header's length does not match the bytes that follow it.
    case badLength
    /// The length is not a multiple of 4 (RFC 8489 §5: attributes are 4-byte aligned).
    case misaligned
    /// A method/class other than Binding request, success or error response.
    case unsupportedMessageType(UInt16)
    /// An attribute header or value runs past the end of the message.
    case truncatedAttribute
    /// A known attribute whose value has the wrong size or content.
    case malformedAttribute(type: UInt16)
    /// FINGERPRINT does not match the message (RFC 8489 §14.7).
    case fingerprintMismatch
    /// An attribute follows FINGERPRINT, which must be last (RFC 8489 §14.7).
    case attributeAfterFingerprint
}
