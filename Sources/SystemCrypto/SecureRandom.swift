import CCrypto

/// Bytes from the OS CSPRNG, through libcrypto's `RAND_bytes`.
public enum SecureRandom {
    public static func bytes(count: Int) throws(RandomBytesUnavailable) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count <= Int(Int32.max), RAND_bytes(&bytes, Int32(count)) == 1 else { throw RandomBytesUnavailable() }
        return bytes
    }
}

/// The system's random number generator failed (RAND_bytes reported an error).
public struct RandomBytesUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "the system random number generator failed" }
}
