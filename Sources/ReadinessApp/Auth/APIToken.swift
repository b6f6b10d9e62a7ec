import Foundation
import SystemCrypto

/// Bearer tokens: 256 random bits, shown to their owner once, stored only as a SHA-256 hash.
public enum APIToken {
    /// Recognisable in logs and secret scanners without revealing anything.
    static let prefix = "rdy_"
    static let randomByteCount = 32

    /// A new token from the OS CSPRNG.
    public static func generate() throws -> String {
        guard let bytes = try? SecureRandom.bytes(count: randomByteCount) else { throw TokenGenerationError() }
        return prefix + base64URL(bytes)
    }

    /// The stored form of a token.
    public static func hash(_ token: String) -> [UInt8] {
        Digest.sha256(Array(token.utf8))
    }

    /// Compares two hashes in time independent of where they differ.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        Digest.constantTimeEqual(lhs, rhs)
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
