import Testing
@testable import STUN

@Suite struct STUNRoundTripTests {
    static let id = STUNTransactionID(bytes: Array(1...12))!

    static let messages: [STUNMessage] = [
        STUNMessage(kind: .bindingRequest, transactionID: id),
        STUNMessage(kind: .bindingRequest, transactionID: id,
                    attributes: [.answerAfter(milliseconds: 300), .padding(61), .software("readiness-agent/1"), .fingerprint]),
        STUNMessage(kind: .bindingSuccess, transactionID: id,
                    attributes: [.xorMappedAddress(STUNAddress(ip: [203, 0, 113, 7], port: 3478)!), .fingerprint]),
        STUNMessage(kind: .bindingSuccess, transactionID: id,
                    attributes: [.xorMappedAddress(STUNAddress(ip: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1], port: 1)!),
                                 .mappedAddress(STUNAddress(ip: [10, 0, 0, 1], port: 65535)!),
                                 .answerAfter(milliseconds: UInt32.max)]),
        STUNMessage(kind: .bindingError, transactionID: id,
                    attributes: [.errorCode(code: 420, reason: "Unknown Attribute"), .other(type: 0x7FFF, value: [1, 2, 3])]),
    ]

    @Test(arguments: messages)
    func roundTrips(message: STUNMessage) throws {
        let bytes = message.encoded()
        #expect(bytes.count % 4 == 0)
        #expect(Int(bytes.bigEndian16(at: 2)) == bytes.count - 20)
        #expect(try STUNMessage(decoding: bytes) == message)
    }

    @Test func xorMappedAddressIsNotSentInTheClear() {
        let address = STUNAddress(ip: [203, 0, 113, 7], port: 3478)!
        let bytes = STUNMessage(kind: .bindingSuccess, transactionID: Self.id, attributes: [.xorMappedAddress(address)]).encoded()
        // Attribute value starts at 24: reserved, family, X-Port, X-Address.
        // 3478 = 0x0D96, masked by 0x2112; the address by 0x2112A442.
        let expected: [UInt8] = [0x00, 0x01, 0x2C, 0x84, 0xEA, 0x12, 0xD5, 0x45]
        #expect(Array(bytes[24..<32]) == expected)
    }

    @Test func fingerprintIsEncodedLastWhereverItIsListed() throws {
        let message = STUNMessage(kind: .bindingRequest, transactionID: Self.id, attributes: [.fingerprint, .padding(4)])
        let decoded = try STUNMessage(decoding: message.encoded())
        #expect(decoded.attributes == [.padding(4), .fingerprint])
    }

    @Test func paddingCountsItsBytesAndAlignsTheNextAttribute() throws {
        let message = STUNMessage(kind: .bindingRequest, transactionID: Self.id, attributes: [.padding(5), .answerAfter(milliseconds: 9)])
        let bytes = message.encoded()
        #expect(bytes.count == 20 + 4 + 8 + 4 + 4)
        #expect(try STUNMessage(decoding: bytes).answerAfterMilliseconds == 9)
    }

    @Test func mappedAddressPrefersXORForm() {
        let plain = STUNAddress(ip: [10, 0, 0, 1], port: 1)!
        let xored = STUNAddress(ip: [10, 0, 0, 2], port: 2)!
        let message = STUNMessage(kind: .bindingSuccess, transactionID: Self.id, attributes: [.mappedAddress(plain), .xorMappedAddress(xored)])
        #expect(message.mappedAddress == xored)
        #expect(STUNMessage(kind: .bindingSuccess, transactionID: Self.id, attributes: [.mappedAddress(plain)]).mappedAddress == plain)
        #expect(STUNMessage(kind: .bindingSuccess, transactionID: Self.id).mappedAddress == nil)
    }

    @Test func randomTransactionIDsAreTwelveBytesAndDiffer() {
        let ids = Set((0..<100).map { _ in STUNTransactionID.random() })
        #expect(ids.count == 100)
        #expect(ids.allSatisfy { $0.bytes.count == 12 })
        #expect(STUNTransactionID(bytes: Array(repeating: 0, count: 11)) == nil)
    }

    @Test func addressAcceptsOnlyFourOrSixteenBytes() {
        #expect(STUNAddress(ip: [1, 2, 3], port: 1) == nil)
        #expect(STUNAddress(ip: Array(repeating: 0, count: 5), port: 1) == nil)
        #expect(STUNAddress(ip: Array(repeating: 0, count: 16), port: 1) != nil)
    }

    @Test(arguments: [
        ([UInt8](repeating: 0, count: 15) + [1], "::1"),
        ([UInt8](repeating: 0, count: 16), "::"),
        ([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], "2001:db8::1"),
        // RFC 5952 §4.2.2: a single zero group is not shortened.
        ([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], "2001:db8:0:1:1:1:1:1"),
        // §4.2.3: the longest run, the first of equal runs.
        ([0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], "2001:0:0:1::1"),
        ([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], "2001:db8::1:0:0:1"),
        // §4.3: lower case.
        ([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0xAB, 0xCD, 0, 0, 0, 0, 0, 0x0A], "fe80::abcd:0:0:a"),
        // §5: IPv4-mapped addresses keep the dotted tail.
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1], "::ffff:192.0.2.1"),
    ])
    func formatsIPv6AsRFC5952(bytes: [UInt8], text: String) throws {
        #expect(try #require(STUNAddress(ip: bytes, port: 0)).ipString == text)
    }
}

extension STUNMessage: CustomTestStringConvertible {
    public var testDescription: String { "\(kind) \(attributes.count) attributes" }
}
