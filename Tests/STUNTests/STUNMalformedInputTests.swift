import Testing
@testable import STUN

@Suite struct STUNMalformedInputTests {
    static let id = STUNTransactionID(bytes: Array(1...12))!
    static let valid = STUNMessage(kind: .bindingRequest, transactionID: id, attributes: [.padding(8), .fingerprint]).encoded()

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var error: STUNDecodingError
        var testDescription: String { name }
    }

    static func patched(_ edit: (inout [UInt8]) -> Void) -> [UInt8] {
        var bytes = valid
        edit(&bytes)
        return bytes
    }

    static func header(type: UInt16 = 0x0001, length: UInt16, cookie: UInt32 = STUNMessage.magicCookie) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(type)
        bytes.appendBigEndian(length)
        bytes.appendBigEndian(cookie)
        return bytes + id.bytes
    }

    static let cases: [Case] = [
        Case(name: "empty", bytes: [], error: .tooShort),
        Case(name: "19 bytes", bytes: Array(valid.prefix(19)), error: .tooShort),
        Case(name: "top bits set (RTP-like)", bytes: patched { $0[0] |= 0x80 }, error: .notSTUN),
        Case(name: "second top bit set", bytes: patched { $0[0] |= 0x40 }, error: .notSTUN),
        Case(name: "bad cookie", bytes: header(length: 0, cookie: 0x2112_A443), error: .badMagicCookie),
        Case(name: "RFC 3489 message without cookie", bytes: header(length: 0, cookie: 0), error: .badMagicCookie),
        Case(name: "length longer than datagram", bytes: header(length: 4), error: .badLength),
        Case(name: "length shorter than datagram", bytes: header(length: 0) + [0, 0, 0, 0], error: .badLength),
        Case(name: "datagram truncated", bytes: Array(valid.dropLast(4)), error: .badLength),
        Case(name: "length not a multiple of 4", bytes: header(length: 2) + [0, 0], error: .misaligned),
        Case(name: "indication", bytes: header(type: 0x0011, length: 0), error: .unsupportedMessageType(0x0011)),
        Case(name: "allocate request", bytes: header(type: 0x0003, length: 0), error: .unsupportedMessageType(0x0003)),
        Case(name: "attribute value past the end",
             bytes: header(length: 8) + [0x00, 0x26, 0x00, 0x08, 0, 0, 0, 0], error: .truncatedAttribute),
        Case(name: "attribute padding past the end",
             bytes: header(length: 8) + [0x00, 0x26, 0x00, 0x05, 0, 0, 0, 0], error: .truncatedAttribute),
        Case(name: "answer-after of 2 bytes",
             bytes: header(length: 8) + [0xC0, 0xA1, 0x00, 0x02, 0, 1, 0, 0], error: .malformedAttribute(type: 0xC0A1)),
        Case(name: "xor-mapped-address of unknown family",
             bytes: header(length: 12) + [0x00, 0x20, 0x00, 0x08, 0, 3, 0, 0, 1, 2, 3, 4], error: .malformedAttribute(type: 0x0020)),
        Case(name: "xor-mapped-address IPv6 family with IPv4 length",
             bytes: header(length: 12) + [0x00, 0x20, 0x00, 0x08, 0, 2, 0, 0, 1, 2, 3, 4], error: .malformedAttribute(type: 0x0020)),
        Case(name: "mapped-address too short",
             bytes: header(length: 8) + [0x00, 0x01, 0x00, 0x02, 0, 1, 0, 0], error: .malformedAttribute(type: 0x0001)),
        Case(name: "software not UTF-8",
             bytes: header(length: 8) + [0x80, 0x22, 0x00, 0x02, 0xC3, 0x28, 0, 0], error: .malformedAttribute(type: 0x8022)),
        Case(name: "error-code with class 2",
             bytes: header(length: 8) + [0x00, 0x09, 0x00, 0x04, 0, 0, 2, 0], error: .malformedAttribute(type: 0x0009)),
        Case(name: "fingerprint of 2 bytes",
             bytes: header(length: 8) + [0x80, 0x28, 0x00, 0x02, 0, 0, 0, 0], error: .malformedAttribute(type: 0x8028)),
        Case(name: "fingerprint not last", bytes: valid + [0x00, 0x26, 0x00, 0x00], error: .badLength),
        Case(name: "fingerprint wrong", bytes: patched { $0[$0.count - 1] ^= 0xFF }, error: .fingerprintMismatch),
    ]

    @Test(arguments: cases)
    func rejects(_ input: Case) {
        #expect(throws: input.error) { try STUNMessage(decoding: input.bytes) }
    }

    @Test func rejectsAttributeAfterValidFingerprint() {
        // A correct FINGERPRINT followed by another attribute, with the length covering both.
        var bytes = Self.valid + [0x00, 0x26, 0x00, 0x00]
        bytes.setLength(bodyCount: bytes.count - 20)
        // Recompute the fingerprint over the new header so only its position is wrong.
        let fingerprintOffset = Self.valid.count - 8
        let crc = CRC32.checksum(bytes[0..<fingerprintOffset]) ^ STUNMessage.fingerprintXOR
        var crcBytes: [UInt8] = []
        crcBytes.appendBigEndian(crc)
        bytes.replaceSubrange((fingerprintOffset + 4)..<(fingerprintOffset + 8), with: crcBytes)
        #expect(throws: STUNDecodingError.attributeAfterFingerprint) { try STUNMessage(decoding: bytes) }
    }

    @Test func acceptsTheUnpatchedMessage() throws {
        #expect(try STUNMessage(decoding: Self.valid).attributes == [.padding(8), .fingerprint])
    }

    @Test func rejectsEveryTruncationOfAValidMessage() {
        let bytes = STUNMessage(kind: .bindingSuccess, transactionID: Self.id,
                                attributes: [.xorMappedAddress(STUNAddress(ip: [1, 2, 3, 4], port: 5)!), .fingerprint]).encoded()
        for count in 0..<bytes.count {
            #expect(throws: STUNDecodingError.self) { try STUNMessage(decoding: Array(bytes.prefix(count))) }
        }
    }
}
