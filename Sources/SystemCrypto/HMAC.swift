import CCrypto

/// Keyed message authentication from the system's libcrypto: the webhook signatures
/// (Standard Webhooks: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body`).
public enum HMAC {
    /// HMAC-SHA256 (RFC 2104, FIPS 198-1): 32 bytes.
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: 32)
        // An empty array's base address may be nil; HMAC takes a zero-length key or message
        // only through a valid pointer, so both are passed through a one-byte spare.
        let keyBytes = key.isEmpty ? [0] : key
        let messageBytes = message.isEmpty ? [0] : message
        let status = keyBytes.withUnsafeBufferPointer { keyPointer in
            messageBytes.withUnsafeBufferPointer { messagePointer in
                ccrypto_hmac_sha256(keyPointer.baseAddress, key.count, messagePointer.baseAddress, message.count, &mac)
            }
        }
        // HMAC fails only when libcrypto cannot run SHA-256 at all; a zero MAC then verifies nothing.
        return status == 1 ? mac : [UInt8](repeating: 0, count: 32)
    }
}
