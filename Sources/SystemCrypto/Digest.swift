import CCrypto

/// Message digests from the system's libcrypto. The digests are plain byte arrays: callers
/// store them, compare them or print them, and never see a pointer.
public enum Digest {
    /// SHA-256 (FIPS 180-4): result content hashes, ETags, the stored form of API tokens.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        // `ccrypto_sha256` reuses one fetched EVP_MD (see shim.h for why that matters).
        _ = bytes.withUnsafeBufferPointer { input in ccrypto_sha256(input.baseAddress, input.count, &digest) }
        return digest
    }

    /// SHA-1 (FIPS 180-4). Broken for collision resistance; here only because RFC 6455's
    /// handshake names it (see ``WebSocketAccept``).
    public static func sha1(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        _ = bytes.withUnsafeBufferPointer { input in SHA1(input.baseAddress, input.count, &digest) }
        return digest
    }

    /// Whether two digests are equal, in time independent of where they differ (so a token
    /// lookup does not leak how much of a guessed hash was right).
    public static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return CRYPTO_memcmp(lhs, rhs, lhs.count) == 0
    }
}
