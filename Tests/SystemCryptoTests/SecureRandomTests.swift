import SystemCrypto
import Testing

@Suite struct SecureRandomTests {
    @Test func givesTheCountAskedForAndDifferentBytesEachTime() throws {
        let first = try SecureRandom.bytes(count: 32)
        let second = try SecureRandom.bytes(count: 32)
        #expect(first.count == 32)
        #expect(first != second)
        #expect(try SecureRandom.bytes(count: 0).isEmpty)
        // 1 MiB of zeros from a working CSPRNG has probability 2^-8388608.
        #expect(try SecureRandom.bytes(count: 1 << 20).contains { $0 != 0 })
    }
}
