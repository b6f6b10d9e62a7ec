import Foundation

/// A PagerDuty Events API v2 event as the receiver standing in for PagerDuty gets it. A
/// `resolve` has no `payload`.
struct PagerDutyEventBody: Decodable {
    struct Payload: Decodable {
        let summary: String
        let source: String
        let severity: String
        let timestamp: Date
    }

    let routingKey: String
    let eventAction: String
    let dedupKey: String
    let payload: Payload?
}
