import JSON
/// A finding as it is stored: only what the result (or the site's window) decided. Everything
/// its policy rule fixes (code, kind, source, citation, remediation, and the tiers' thresholds,
/// which follow from the rule and the site's parameters) is left out and joined back from the
/// policy version the stored document names (`Policy.finding(_:at:site:)`). Those texts were
/// about two thirds of every stored evaluation and assessment.
///
/// Exact by construction: a finding is the rule's template plus the rule's judgement (its
/// status per tier and what was observed), so the same policy gives back the same finding.
public struct CompactFinding: Codable, Sendable, Equatable {
    public var ruleID: String
    /// The rule's status at each tier it gates; nil for a tier the rule does not gate.
    public var optimal: FindingStatus?
    public var minimal: FindingStatus?
    public var observed: Observed
    /// The DNS rule's unresolved hosts (`Finding.hosts`), which its judgement decides.
    public var hosts: [String]?
    /// Present on site assessments.
    public var confidence: Confidence?

    enum CodingKeys: String, CodingKey {
        case optimal, minimal, observed, hosts, confidence
        case ruleID = "rule_id"
    }

    public init(_ finding: Finding) {
        ruleID = finding.ruleID
        for outcome in finding.tiers {
            switch outcome.tier {
            case .optimal: optimal = outcome.status
            case .minimal: minimal = outcome.status
            }
        }
        observed = finding.observed
        hosts = finding.hosts
        confidence = finding.confidence
    }

    func write(to json: JSONWriter) {
        Self.write(confidence: confidence, hosts: hosts, minimal: minimal, observed: observed, optimal: optimal, ruleID: ruleID, to: json)
    }

    /// `CompactFinding(finding).write(to:)` from a finding's members, without building the
    /// compact value (its copies of the rule id and the observation).
    static func write(
        tiers: [TierOutcome], confidence: Confidence?, hosts: [String]?, observed: Observed, ruleID: String, to json: JSONWriter
    ) {
        var optimal: FindingStatus?, minimal: FindingStatus?
        for outcome in tiers {
            switch outcome.tier {
            case .optimal: optimal = outcome.status
            case .minimal: minimal = outcome.status
            }
        }
        write(confidence: confidence, hosts: hosts, minimal: minimal, observed: observed, optimal: optimal, ruleID: ruleID, to: json)
    }

    /// The finding's compact JSON after `{` and its confidence, through the closing `}`: the
    /// members its judgement alone decides. A site window keeps it from one assessment to the
    /// next while the rule's judgement stands (most rules), as only the confidence's ages move.
    static func tail(of finding: Finding) throws(JSONWriter.NonFiniteNumber) -> [UInt8] {
        let json = JSONWriter(capacity: 256)
        write(tiers: finding.tiers, confidence: nil, hosts: finding.hosts, observed: finding.observed, ruleID: finding.ruleID, to: json)
        return Array(try json.finished().dropFirst())
    }

    /// `write(to:)` with the tail given: `{`, the confidence, then the tail as it was written
    /// (`JSONWriter.raw` puts the comma between them when there is a confidence).
    static func write(confidence: Confidence?, tail: [UInt8], to json: JSONWriter) {
        json.beginObject()
        if let confidence {
            json.key("confidence")
            confidence.write(to: json)
        }
        json.raw(tail)
    }

    private static func write(
        confidence: Confidence?, hosts: [String]?, minimal: FindingStatus?, observed: Observed, optimal: FindingStatus?,
        ruleID: String, to json: JSONWriter
    ) {
        json.beginObject()
        if let confidence {
            json.key("confidence")
            confidence.write(to: json)
        }
        json.memberIfPresent("hosts", strings: hosts)
        json.memberIfPresent("minimal", minimal?.rawValue)
        json.key("observed")
        observed.write(to: json)
        json.memberIfPresent("optimal", optimal?.rawValue)
        json.member("rule_id", ruleID)
        json.endObject()
    }
}

/// Why a compact document cannot be expanded with a policy.
public enum CompactFormError: Error, Sendable, Equatable {
    /// The document names another policy or version than the one given.
    case otherPolicy(name: String, version: Int)
    /// A rule id the policy version does not have.
    case unknownRule(String)
}

extension Policy {
    /// The full finding for a compact one: the rule's template, its tiers for these statuses
    /// and the site's parameters, what was observed. `index` is where the finding sat in the
    /// document (documents list rules in policy order), so the rule is found without a search.
    public func finding(_ compact: CompactFinding, at index: Int, site: SiteParameters) throws(CompactFormError) -> Finding {
        let plan: RulePlan
        if plans.indices.contains(index), plans[index].rule.id == compact.ruleID {
            plan = plans[index]
        } else if let found = plans.first(where: { $0.rule.id == compact.ruleID }) {
            plan = found
        } else {
            throw .unknownRule(compact.ruleID)
        }
        let statuses = TierStatuses(optimal: compact.optimal, minimal: compact.minimal)
        var finding = plan.finding(Judgement(statuses: statuses, observed: compact.observed, hosts: compact.hosts), site: site)
        finding.confidence = compact.confidence
        return finding
    }

    func findings(_ compact: [CompactFinding], site: SiteParameters) throws(CompactFormError) -> [Finding] {
        var findings: [Finding] = []
        findings.reserveCapacity(compact.count)
        for (index, finding) in compact.enumerated() { findings.append(try self.finding(finding, at: index, site: site)) }
        return findings
    }

    func requireSame(name: String, version: Int) throws(CompactFormError) {
        guard name == self.name, version == self.version else { throw .otherPolicy(name: name, version: version) }
    }
}

extension Confidence {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.memberIfPresent("newest_age_s", newestAgeS)
        json.memberIfPresent("oldest_age_s", oldestAgeS)
        json.member("samples", samples)
        json.endObject()
    }
}
