/// A STUN Binding message (RFC 8489): the only method the readiness probes use.
public struct STUNMessage: Sendable, Equatable {
    /// Method and class combined as on the wire (RFC 8489 §5, §18.2: Binding is method 0x001).
    public enum Kind: UInt16, Sendable {
        case bindingRequest = 0x0001
        case bindingSuccess = 0x0101
        case bindingError = 0x0111
    }

    /// RFC 8489 §5: fixed in every message; tells STUN apart from other protocols on the port.
    public static let magicCookie: UInt32 = 0x2112_A442
    /// RFC 8489 §5: type, length, cookie, transaction ID.
    public static let headerSize = 20

    public var kind: Kind
    public var transactionID: STUNTransactionID
    public var attributes: [STUNAttribute]

    public init(kind: Kind, transactionID: STUNTransactionID, attributes: [STUNAttribute] = []) {
        self.kind = kind
        self.transactionID = transactionID
        self.attributes = attributes
    }

    /// XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS (RFC 8489 §14.2 prefers the former).
    public var mappedAddress: STUNAddress? {
        var plain: STUNAddress?
        for attribute in attributes {
            switch attribute {
            case .xorMappedAddress(let address): return address
            case .mappedAddress(let address): plain = plain ?? address
            default: continue
            }
        }
        return plain
    }

    /// The first ANSWER-AFTER value, if any.
    public var answerAfterMilliseconds: UInt32? {
        for case .answerAfter(let milliseconds) in attributes { return milliseconds }
        return nil
    }

    /// True when the message carries FINGERPRINT (decoding has already checked it).
    public var hasFingerprint: Bool {
        attributes.contains(.fingerprint)
    }
}

extension STUNMessage {
    /// XOR applied to FINGERPRINT's CRC-32 (RFC 8489 §14.7), so a CRC of a packet of another
    /// protocol that happens to end in one does not pass.
    static let fingerprintXOR: UInt32 = 0x5354_554E
}
