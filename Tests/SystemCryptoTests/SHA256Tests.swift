import Foundation
import SystemCrypto
import Testing

/// The digest behind idempotency (the content hash), the ETags and the stored token hashes:
/// FIPS 180-2's test vectors, and many threads hashing at once (the algorithm is fetched once
/// and shared).
@Suite struct SHA256Tests {
    @Test func matchesTheStandardVectors() {
        #expect(hex(Digest.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(Digest.sha256(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(Digest.sha256([UInt8](repeating: 0x61, count: 1_000_000)))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func givesTheSameDigestOnEveryThread() async {
        let input = Array("abc".utf8)
        let digests = await withTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<64 { group.addTask { Digest.sha256(input) } }
            return await group.reduce(into: Set<[UInt8]>()) { $0.insert($1) }
        }
        #expect(digests == [Digest.sha256(input)])
    }
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
