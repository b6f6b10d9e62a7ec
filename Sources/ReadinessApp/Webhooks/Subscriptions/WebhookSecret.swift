import Foundation
import SystemCrypto

/// The secrets of a subscription: the signing secret of a `standard` webhook, which the
/// service generates, and the routing key of a `pagerduty` one, which the client gives. Both
/// are stored in `webhooks.secret`, answered once (the signing secret, at creation and at
/// rotation; the routing key never) and never logged.
enum WebhookSecret {
    static let prefix = "whsec_"
    /// Standard Webhooks asks for 24 to 64 bytes; 32 is HMAC-SHA256's block-sized key.
    static let byteCount = 32
    /// How long the old signing secret still signs after a rotation unless the request says
    /// otherwise: a day, for receivers deployed once a day to take the new one.
    static let defaultOverlapS = 86_400
    /// At most a week of two valid secrets.
    static let overlapRange = 0...604_800

    /// `whsec_` + base64 of 32 bytes from the system's CSPRNG.
    static func generate() throws -> String {
        prefix + Data(try SecureRandom.bytes(count: byteCount)).base64EncodedString()
    }

    /// A PagerDuty integration (routing) key: 32 letters and digits.
    static func isRoutingKey(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }
}
