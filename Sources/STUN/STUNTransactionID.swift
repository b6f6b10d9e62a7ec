/// The 96-bit transaction ID that pairs a STUN response with its request (RFC 8489 §5).
public struct STUNTransactionID: Hashable, Sendable {
    public static let byteCount = 12

    public let bytes: [UInt8]

    /// Nil unless `bytes` holds exactly 12 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// A fresh ID from the system's CSPRNG: RFC 8489 §6 asks for IDs chosen uniformly at random
    /// so that responses cannot be forged by guessing them.
    public static func random() -> STUNTransactionID {
        var generator = SystemRandomNumberGenerator()
        return STUNTransactionID(unchecked: (0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }
}
