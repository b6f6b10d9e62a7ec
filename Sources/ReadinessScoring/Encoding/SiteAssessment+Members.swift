import JSON

// The assessment's parts as members of the API's documents (the app's `SiteAssessmentDocument`):
// written by the stored form's own writers, and given to `Encoder` as themselves, whose
// `Codable` writes the same bytes (JSONWriterTests).

extension Finding: JSONMemberValue {
    public var encoded: Finding { self }
}

/// Also members of the webhook bodies' findings (the app's `WebhookPayload.FindingRef`).
extension Observed: JSONMemberValue {
    public var encoded: Observed { self }
}

extension Threshold: JSONMemberValue {
    public var encoded: Threshold { self }
}

extension Capacity: JSONMemberValue {
    public var encoded: Capacity { self }
}

extension SiteParameters: JSONMemberValue {
    public var encoded: SiteParameters { self }
}

extension Figures: JSONMemberValue {
    /// Absent figures are left out, as the synthesized `Codable` leaves them out.
    public func write(to json: JSONWriter) {
        json.beginObject()
        downKbps?.write("down_kbps", to: json)
        jitterMs?.write("jitter_ms", to: json)
        lossPct?.write("loss_pct", to: json)
        rttMs?.write("rtt_ms", to: json)
        upKbps?.write("up_kbps", to: json)
        json.endObject()
    }

    public var encoded: Figures { self }
}
