import CCrypto
import Foundation

/// Bearer tokens: 256 random bits, shown to their owner once, stored only as a SHA-256 hash.
public enum APIToken {
    /// Recognisable in logs and secret scanners without revealing anything.
    static let prefix = "rdy_"
    static let randomByteCount = 32

    /// A new token from the OS CSPRNG (via libcrypto's RAND_bytes).
    public static func generate() throws -> String {
        var bytes = [UInt8](repeating: 0, count: randomByteCount)
        guard RAND_bytes(&bytes, Int32(randomByteCount)) == 1 else { throw TokenGenerationError() }
        return prefix + base64URL(bytes)
    }

    /// The stored form of a token.
    public static func hash(_ token: String) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let bytes = Array(token.utf8)
        _ = bytes.withUnsafeBufferPointer { input in ccrypto_sha256(input.baseAddress, input.count, &digest) }
        return digest
    }

    /// Compares two hashes in time independent of where they differ.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return CRYPTO_memcmp(lhs, rhs, lhs.count) == 0
    }

    /// A token's shape before any lookup: malformed ones are refused without touching the database.
    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == prefix.utf8.count + 43 && token.hasPrefix(prefix)
            && token.utf8.dropFirst(prefix.utf8.count).allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F
            }
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

struct TokenGenerationError: Error, CustomStringConvertible {
    var description: String { "the system random number generator failed" }
}
