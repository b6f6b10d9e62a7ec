import Foundation
import HTTPClient

/// The request an attempt sends, in the subscription's format, or why none is sent.
enum DeliveryRequest {
    case send(OutboundRequest)
    /// The format has nothing to send for this event (settled as `skipped`).
    case skip
    /// No request can be made; the attempt fails with this reason (it names no secret).
    case refuse(String)

    /// `url`: the subscription's URL as parsed once for the round (nil: it does not parse).
    static func make(event: ClaimedEvent, url: RequestURL?, body: [UInt8], at time: Date, allowPlainHTTP: Bool) throws -> DeliveryRequest {
        let target = event.target
        guard let url else { return .refuse("the subscription's URL is not an absolute http(s) URL") }
        guard url.secure || allowPlainHTTP else { return .refuse("https is required (READINESS_WEBHOOK_ALLOW_PRIVATE allows http)") }
        switch target.format {
        case .standard:
            guard let signing = StandardWebhookSignature.headers(
                messageID: event.messageID, timestamp: time, body: body, secret: target.secret,
                previousSecret: target.previousSecret, previousExpiresAt: target.previousSecretExpiresAt)
            else { return .refuse("the signing secret is not a whsec_ secret") }
            return .send(OutboundRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")] + signing, body: body))
        case .pagerduty:
            guard let pagerDuty = try PagerDutyEvent.make(from: body, routingKey: target.secret) else { return .skip }
            return .send(OutboundRequest(
                method: "POST", url: url, headers: [("Content-Type", "application/json")],
                body: Array(try APIJSON.encoder.encode(pagerDuty))))
        }
    }
}
