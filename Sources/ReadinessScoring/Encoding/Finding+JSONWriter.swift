import JSON
extension Finding {
    public func write(to json: JSONWriter) {
        json.beginObject()
        json.memberIfPresent("blocks", blocks?.rawValue)
        json.member("citation", citation)
        json.member("code", code)
        if let confidence {
            json.key("confidence")
            json.beginObject()
            json.memberIfPresent("newest_age_s", confidence.newestAgeS)
            json.memberIfPresent("oldest_age_s", confidence.oldestAgeS)
            json.member("samples", confidence.samples)
            json.endObject()
        }
        json.memberIfPresent("hosts", strings: hosts)
        json.member("kind", kind.rawValue)
        json.key("observed")
        observed.write(to: json)
        json.member("remediation", remediation)
        json.member("rule_id", ruleID)
        json.member("source", source.rawValue)
        json.member("status", status.rawValue)
        json.key("tiers")
        json.beginArray()
        for tier in tiers { tier.write(to: json) }
        json.endArray()
        json.endObject()
    }
}

extension Observed {
    public func write(to json: JSONWriter) {
        json.beginObject()
        json.memberIfPresent("down_kbps", downKbps)
        json.memberIfPresent("pass_fraction", passFraction)
        json.memberIfPresent("probes_failed", probesFailed)
        json.memberIfPresent("probes_matched", probesMatched)
        json.memberIfPresent("runs", runs)
        json.memberIfPresent("unit", unit)
        json.memberIfPresent("up_kbps", upKbps)
        json.memberIfPresent("value", value)
        json.endObject()
    }
}

extension TierOutcome {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.member("source", source.rawValue)
        json.member("status", status.rawValue)
        if let threshold {
            json.key("threshold")
            threshold.write(to: json)
        }
        json.member("tier", tier.rawValue)
        json.endObject()
    }
}

extension Threshold {
    public func write(to json: JSONWriter) {
        json.beginObject()
        json.memberIfPresent("comparison", comparison?.rawValue)
        json.memberIfPresent("down_kbps", downKbps)
        json.memberIfPresent("unit", unit)
        json.memberIfPresent("up_kbps", upKbps)
        json.memberIfPresent("value", value)
        json.endObject()
    }
}

extension Capacity {
    public func write(to json: JSONWriter) {
        json.beginObject()
        json.memberIfPresent("minimal_users", minimalUsers)
        json.memberIfPresent("optimal_users", optimalUsers)
        json.endObject()
    }
}

extension SiteParameters {
    public func write(to json: JSONWriter) {
        json.beginObject()
        json.member("expected_concurrent_users", expectedConcurrentUsers)
        json.member("longest_call_s", longestCallS)
        json.endObject()
    }
}

extension JSONWriter {
    /// A member holding an array of strings (the DNS finding's `hosts`), left out when nil.
    func memberIfPresent(_ name: StaticString, strings: [String]?) {
        guard let strings else { return }
        key(name)
        beginArray()
        for value in strings { string(value) }
        endArray()
    }
}
