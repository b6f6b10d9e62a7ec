import JSON
extension ResultEvaluation {
    /// The stored and served form (`results.assessment`), as `JSONEncoder` with sorted keys
    /// would write it; see `JSONWriter`.
    public func jsonBytes() throws(JSONWriter.NonFiniteNumber) -> [UInt8] {
        let json = JSONWriter(capacity: 8192)
        json.beginObject()
        json.key("capacity")
        capacity.write(to: json)
        json.key("findings")
        json.beginArray()
        for finding in findings { finding.write(to: json) }
        json.endArray()
        json.memberIfPresent("mos", mos)
        json.member("policy", policy)
        json.member("policy_version", policyVersion)
        json.member("run_id", runID.lowercasedString)
        json.memberIfPresent("score", score)
        json.key("site")
        site.write(to: json)
        json.memberIfPresent("transport", transport?.rawValue)
        json.member("verdict", verdict.rawValue)
        json.endObject()
        return try json.finished()
    }
}

extension SiteAssessment {
    /// The stored form (`site_assessments.assessment`, whose SHA-256 is the ETag), as
    /// `JSONEncoder` with sorted keys would write it; see `JSONWriter`.
    public func jsonBytes() throws(JSONWriter.NonFiniteNumber) -> [UInt8] {
        let json = JSONWriter(capacity: 16384)
        json.beginObject()
        json.member("agents", agents)
        json.member("assessed_at", assessedAt)
        json.key("capacity")
        capacity.write(to: json)
        json.key("figures")
        figures.write(to: json)
        json.key("findings")
        json.beginArray()
        for finding in findings { finding.write(to: json) }
        json.endArray()
        json.memberIfPresent("last_verdict", lastVerdict?.rawValue)
        figure("mos", mos, to: json)
        json.memberIfPresent("newest_result_at", newestResultAt)
        json.memberIfPresent("oldest_result_at", oldestResultAt)
        json.member("policy", policy)
        json.member("policy_version", policyVersion)
        json.member("runs", runs)
        json.memberIfPresent("score", score)
        json.key("site")
        site.write(to: json)
        json.memberIfPresent("transport", transport?.rawValue)
        json.member("verdict", verdict.rawValue)
        json.member("window_s", windowS)
        json.endObject()
        return try json.finished()
    }

    private func figure(_ name: StaticString, _ figure: Figure?, to json: JSONWriter) {
        figure?.write(name, to: json)
    }
}

extension Figure {
    /// The member `name` holding this figure.
    func write(_ name: StaticString, to json: JSONWriter) {
        json.key(name)
        json.beginObject()
        json.member("newest_age_s", newestAgeS)
        json.member("oldest_age_s", oldestAgeS)
        json.member("samples", samples)
        json.member("value", value)
        json.endObject()
    }
}
