import Foundation

extension AppConfiguration {
    /// `READINESS_WEBHOOK_ALLOW_PRIVATE` (true/false), `READINESS_WEBHOOK_DELIVERY` (on/off),
    /// `READINESS_PUBLIC_URL` (an absolute http(s) URL, for the links in webhook payloads).
    mutating func readWebhookSettings(_ environment: [String: String]) throws {
        if let value = environment["READINESS_WEBHOOK_ALLOW_PRIVATE"] {
            webhooks.allowPrivateDestinations = try Self.flag(value, "READINESS_WEBHOOK_ALLOW_PRIVATE")
        }
        if let value = environment["READINESS_WEBHOOK_DELIVERY"] {
            switch value.lowercased() {
            case "on": webhooks.enabled = true
            case "off": webhooks.enabled = false
            default: throw ConfigurationError(variable: "READINESS_WEBHOOK_DELIVERY", detail: "expected on or off, got '\(value)'")
            }
        }
        if let value = environment["READINESS_PUBLIC_URL"], !value.isEmpty {
            guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
                throw ConfigurationError(variable: "READINESS_PUBLIC_URL", detail: "expected an absolute http(s) URL, got '\(value)'")
            }
            webhooks.publicURL = value
        }
    }

    private static func flag(_ text: String, _ variable: String) throws -> Bool {
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off", "": return false
        default: throw ConfigurationError(variable: variable, detail: "expected true or false, got '\(text)'")
        }
    }
}
