import SystemCrypto
import Testing

/// SHA-1, only for RFC 6455's accept value: RFC 3174 §7.3's vectors (also FIPS 180-2's).
@Suite struct SHA1Tests {
    @Test func matchesTheStandardVectors() {
        #expect(hex(Digest.sha1([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex(Digest.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(Digest.sha1(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(hex(Digest.sha1([UInt8](repeating: 0x61, count: 1_000_000))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }
}

@Suite struct ConstantTimeEqualTests {
    @Test func equalDigestsMatchAndAnyDifferenceOrLengthDoesNot() {
        let digest = Digest.sha256(Array("token".utf8))
        #expect(Digest.constantTimeEqual(digest, digest))
        var last = digest
        last[last.count - 1] ^= 0x01
        #expect(!Digest.constantTimeEqual(digest, last))
        #expect(!Digest.constantTimeEqual(digest, Array(digest.dropLast())))
        #expect(Digest.constantTimeEqual([], []))
    }
}
