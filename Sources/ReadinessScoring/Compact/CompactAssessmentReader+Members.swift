import JSON

// Each stored type read as its `Decodable` conformance reads it (`CompactAssessmentReader`).

extension CompactSiteAssessment {
    init(reading root: JSONTape.Value, with reader: CompactAssessmentReader) throws(CompactAssessmentReader.Fault) {
        compact = try reader.int(reader.required(root, "compact"), "compact")
        policy = try reader.string(reader.required(root, "policy"), "policy")
        policyVersion = try reader.int(reader.required(root, "policy_version"), "policy_version")
        site = try SiteParameters(reading: reader.object(reader.required(root, "site"), "site"), with: reader)
        assessedAt = try reader.string(reader.required(root, "assessed_at"), "assessed_at")
        windowS = try reader.double(reader.required(root, "window_s"), "window_s")
        verdict = try reader.word(reader.required(root, "verdict"), "verdict", as: Verdict.self)
        lastVerdict = try reader.optional(root, "last_verdict").map { (value) throws(CompactAssessmentReader.Fault) in
            try reader.word(value, "last_verdict", as: Verdict.self)
        }
        score = try reader.int(in: root, "score")
        var findings: [CompactFinding] = []
        for element in try reader.array(reader.required(root, "findings"), "findings") {
            findings.append(try CompactFinding(reading: reader.object(element, "findings[]"), with: reader))
        }
        self.findings = findings
        mos = try reader.optional(root, "mos").map { (value) throws(CompactAssessmentReader.Fault) in
            try Figure(reading: reader.object(value, "mos"), with: reader)
        }
        capacity = try Capacity(reading: reader.object(reader.required(root, "capacity"), "capacity"), with: reader)
        transport = try reader.optional(root, "transport").map { (value) throws(CompactAssessmentReader.Fault) in
            try reader.word(value, "transport", as: Transport.self)
        }
        figures = try Figures(reading: reader.object(reader.required(root, "figures"), "figures"), with: reader)
        runs = try reader.int(reader.required(root, "runs"), "runs")
        agents = try reader.int(reader.required(root, "agents"), "agents")
        newestResultAt = try reader.string(in: root, "newest_result_at")
        oldestResultAt = try reader.string(in: root, "oldest_result_at")
    }
}

extension CompactFinding {
    init(reading object: JSONTape.Value, with reader: CompactAssessmentReader) throws(CompactAssessmentReader.Fault) {
        ruleID = try reader.string(reader.required(object, "rule_id"), "rule_id")
        optimal = try reader.optional(object, "optimal").map { (value) throws(CompactAssessmentReader.Fault) in
            try reader.word(value, "optimal", as: FindingStatus.self)
        }
        minimal = try reader.optional(object, "minimal").map { (value) throws(CompactAssessmentReader.Fault) in
            try reader.word(value, "minimal", as: FindingStatus.self)
        }
        observed = try Observed(reading: reader.object(reader.required(object, "observed"), "observed"), with: reader)
        hosts = try reader.optional(object, "hosts").map { (value) throws(CompactAssessmentReader.Fault) in
            var hosts: [String] = []
            for element in try reader.array(value, "hosts") { hosts.append(try reader.string(element, "hosts[]")) }
            return hosts
        }
        confidence = try reader.optional(object, "confidence").map { (value) throws(CompactAssessmentReader.Fault) in
            try Confidence(reading: reader.object(value, "confidence"), with: reader)
        }
    }
}

extension Observed {
    init(reading object: JSONTape.Value, with reader: CompactAssessmentReader) throws(CompactAssessmentReader.Fault) {
        self.init()
        value = try reader.double(in: object, "value")
        unit = try reader.string(in: object, "unit")
        upKbps = try reader.double(in: object, "up_kbps")
        downKbps = try reader.double(in: object, "down_kbps")
        probesMatched = try reader.int(in: object, "probes_matched")
        probesFailed = try reader.int(in: object, "probes_failed")
        runs = try reader.int(in: object, "runs")
        passFraction = try reader.double(in: object, "pass_fraction")
    }
}

extension Confidence {
    init(reading object: JSONTape.Value, with reader: CompactAssessmentReader) throws(CompactAssessmentReader.Fault) {
        samples = try reader.int(reader.required(object, "samples"), "samples")
        newestAgeS = try reader.double(in: object, "newest_age_s")
        oldestAgeS = try reader.double(in: object, "oldest_age_s")
    }
}

extension Figure {
    init(reading object: JSONTape.Value, with reader: CompactAssessmentReader) throws(CompactAssessmentReader.Fault) {
        value = try reader.double(reader.required(object, "value"), "value")
        samples = try reader.int(reader.required(object, "samples"), "samples")
        newestAgeS = try reader.double(reader.required(object, "newest_age_s"), "newest_age_s")
        oldestAgeS = try reader.double(reader.required(object, "oldest_age_s"), "oldest_age_s")
    }
}

extension Figures {
    init(reading object: JSONTape.Value, with reader: CompactAssessmentReader) throws(CompactAssessmentReader.Fault) {
        func figure(_ name: StaticString) throws(CompactAssessmentReader.Fault) -> Figure? {
            guard let value = reader.optional(object, name) else { return nil }
            return try Figure(reading: reader.object(value, name), with: reader)
        }
        rttMs = try figure("rtt_ms")
        jitterMs = try figure("jitter_ms")
        lossPct = try figure("loss_pct")
        upKbps = try figure("up_kbps")
        downKbps = try figure("down_kbps")
    }
}

extension Capacity {
    init(reading object: JSONTape.Value, with reader: CompactAssessmentReader) throws(CompactAssessmentReader.Fault) {
        self.init(optimalUsers: try reader.int(in: object, "optimal_users"), minimalUsers: try reader.int(in: object, "minimal_users"))
    }
}

extension SiteParameters {
    init(reading object: JSONTape.Value, with reader: CompactAssessmentReader) throws(CompactAssessmentReader.Fault) {
        self.init(
            expectedConcurrentUsers: try reader.int(reader.required(object, "expected_concurrent_users"), "expected_concurrent_users"),
            longestCallS: try reader.double(reader.required(object, "longest_call_s"), "longest_call_s"))
    }
}
