import Foundation

/// The members of a subscription a client sets, read from a create body or a merge patch
/// (RFC 7396), every fault recorded. What needs I/O (the URL's addresses, the filtered sites'
/// existence) is checked after, by the routes, into the same list of faults.
struct WebhookInput: Sendable {
    static let nameLengths = 1...255
    static let urlLengths = 1...2048

    var name: String?
    var url: String?
    var format: WebhookFormat?
    var eventTypes: [String]?
    var filters = WebhookFilterChanges()
    var enabled: Bool?
    var routingKey: String?

    static func read(_ body: ObjectBody, isPatch: Bool, into reader: inout FieldReader) -> WebhookInput {
        var input = WebhookInput()
        if isPatch && body.isEmpty { reader.fault("", "a webhook patch must change at least one member") }
        for member in body.members {
            let pointer = ObjectBody.pointer(member.key)
            switch member.key {
            case "name": input.name = reader.string(member.value, at: pointer, lengths: nameLengths).value
            case "url": input.url = reader.string(member.value, at: pointer, lengths: urlLengths).value
            case "event_types": input.eventTypes = readEventTypes(member.value, into: &reader)
            case "filters": input.filters = WebhookFilterChanges.read(member.value, into: &reader)
            case "enabled": input.enabled = reader.boolean(member.value, at: pointer)
            case "format" where isPatch:
                reader.fault(pointer, "cannot change: create a webhook in the other format instead")
            case "format":
                if let text = reader.string(member.value, at: pointer, lengths: 1...32).value {
                    input.format = WebhookFormat(rawValue: text)
                    if input.format == nil { reader.fault(pointer, "must be one of \(WebhookFormat.choices)") }
                }
            case "routing_key" where isPatch:
                reader.fault(pointer, "changes with POST /v1/webhooks/{webhook_id}/rotate-secret")
            case "routing_key": input.routingKey = readRoutingKey(member.value, into: &reader)
            default:
                reader.fault(pointer, isPatch ? "is not a member a webhook patch may change" : "is not a member of a webhook")
            }
        }
        if !isPatch { input.requireCreationMembers(body, into: &reader) }
        return input
    }

    /// What a creation must say, and what its format asks for: a routing key for `pagerduty`,
    /// none for `standard` (whose secret the service makes).
    private func requireCreationMembers(_ body: ObjectBody, into reader: inout FieldReader) {
        for required in ["name", "url", "event_types"] where body[required] == nil {
            reader.fault("/" + required, "is required")
        }
        switch (format ?? .standard, body["routing_key"] != nil) {
        case (.pagerduty, false): reader.fault("/routing_key", "is required for a pagerduty webhook (its integration key)")
        case (.standard, true): reader.fault("/routing_key", "is for pagerduty webhooks; a standard webhook's secret is generated")
        default: break
        }
    }

    static func readEventTypes(_ value: FieldReader.JSON, into reader: inout FieldReader) -> [String]? {
        let count = WebhookEventType.allCases.count
        guard case .value(let list) = reader.strings(value, at: "/event_types", maxCount: count, lengths: 1...64) else { return nil }
        if list.isEmpty { reader.fault("/event_types", "must name at least one of \(WebhookEventType.choices)") }
        let before = reader.faults.count
        for (index, text) in list.enumerated() where WebhookEventType(rawValue: text) == nil {
            reader.fault("/event_types/\(index)", "is not an event type; one of \(WebhookEventType.choices)")
        }
        return reader.faults.count == before && !list.isEmpty ? list : nil
    }

    static func readRoutingKey(_ value: FieldReader.JSON, into reader: inout FieldReader) -> String? {
        // The key is never echoed, not even in a fault.
        guard let key = reader.string(value, at: "/routing_key", lengths: 1...256).value else { return nil }
        guard WebhookSecret.isRoutingKey(key) else {
            reader.fault("/routing_key", "must be a PagerDuty integration key: 32 letters and digits")
            return nil
        }
        return key
    }
}

extension FieldReader {
    mutating func boolean(_ value: JSON?, at pointer: String) -> Bool? {
        guard let value else { return nil }
        if case .bool(let flag) = value { return flag }
        fault(pointer, value == .null ? "must be true or false, not null" : "must be true or false")
        return nil
    }
}
