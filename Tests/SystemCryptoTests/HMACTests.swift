import SystemCrypto
import Testing

@Suite struct HMACTests {
    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }

    /// RFC 4231 §4.2 and §4.3 (test cases 1 and 2).
    @Test func matchesTheRFC4231Vectors() {
        let one = HMAC.sha256(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(hex(one) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let two = HMAC.sha256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(hex(two) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func acceptsAnEmptyMessage() {
        // HMAC-SHA256("key", "") from Python's hmac module.
        #expect(hex(HMAC.sha256(key: Array("key".utf8), message: [])) == "5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0")
    }
}
