import Foundation
import SystemCrypto

/// The Standard Webhooks headers (standardwebhooks.com, "Signature scheme"): `webhook-id`,
/// `webhook-timestamp` (seconds since the epoch, the time of this attempt: receivers refuse
/// old timestamps to stop replays) and `webhook-signature`, `v1,` + base64 of HMAC-SHA256
/// under the secret's key over `id.timestamp.body`. During a rotation both secrets sign and
/// the signatures are sent space-separated; a receiver accepts either.
enum StandardWebhookSignature {
    static let secretPrefix = "whsec_"

    /// The key a `whsec_` secret stands for: the base64 after the prefix, decoded.
    static func key(of secret: String) -> [UInt8]? {
        guard secret.hasPrefix(secretPrefix), let data = Data(base64Encoded: String(secret.dropFirst(secretPrefix.count))),
              !data.isEmpty else { return nil }
        return Array(data)
    }

    static func signature(key: [UInt8], messageID: String, timestamp: Int, body: [UInt8]) -> String {
        let signed = Array("\(messageID).\(timestamp).".utf8) + body
        return "v1," + Data(HMAC.sha256(key: key, message: signed)).base64EncodedString()
    }

    /// The three headers, or nil when the current secret is not a `whsec_` secret. An expired
    /// or malformed previous secret signs nothing.
    static func headers(
        messageID: String, timestamp: Date, body: [UInt8], secret: String, previousSecret: String?, previousExpiresAt: Date?
    ) -> [(String, String)]? {
        guard let key = key(of: secret) else { return nil }
        let seconds = Int(timestamp.timeIntervalSince1970)
        var signatures = [signature(key: key, messageID: messageID, timestamp: seconds, body: body)]
        if let previousSecret, let expires = previousExpiresAt, expires > timestamp, let previous = self.key(of: previousSecret) {
            signatures.append(signature(key: previous, messageID: messageID, timestamp: seconds, body: body))
        }
        return [
            ("webhook-id", messageID), ("webhook-timestamp", String(seconds)),
            ("webhook-signature", signatures.joined(separator: " ")),
        ]
    }
}
