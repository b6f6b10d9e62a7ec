import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessScoring

@Suite struct PolicyDiffTests {
    let v1: PolicyDocument
    init() throws { v1 = try Fixtures.policy().document }

    /// Version 2 of the default: a stricter optimal round trip, a new media block, the jitter
    /// rule gone, a new rule, a new title.
    private var v2: PolicyDocument {
        var document = v1
        document.version = 2
        document.title = "Stricter"
        func edit(_ id: String, _ change: (inout PolicyRule) -> Void) {
            if let index = document.rules.firstIndex(where: { $0.id == id }) { change(&document.rules[index]) }
        }
        edit("rtt") { rule in
            if let optimal = rule.tiers.firstIndex(where: { $0.tier == "optimal" }) {
                rule.tiers[optimal].limit?.value = 100
                rule.tiers[optimal].source = "derived"
            }
        }
        edit("chime-media") { $0.route?.destinations.append("52.55.0.0/16") }
        edit("sococo-https") { $0.tiers.append(TierRequirement(tier: "minimal", onBreach: "warn")) }
        document.rules.removeAll { $0.id == "jitter" }
        var extra = document.rules[0]
        extra.id = "tcp-8443"
        extra.code = "TCP_8443_BLOCKED"
        extra.route?.port = 8443
        document.rules.append(extra)
        return document
    }

    @Test func namesEveryChangedFieldRuleByRule() throws {
        let diff = PolicyDiff(from: v1, to: v2)
        #expect(diff.from == 1 && diff.to == 2 && diff.policy == "sococo")
        #expect(diff.document == [FieldChange(field: "title", from: .string(v1.title), to: .string("Stricter"))])
        #expect(diff.added.map(\.id) == ["tcp-8443"])
        #expect(diff.removed.map(\.id) == ["jitter"])
        #expect(diff.changed.map(\.ruleID) == ["sococo-https", "chime-media", "rtt"])
        let rtt = try #require(diff.changed.first { $0.ruleID == "rtt" })
        #expect(rtt.fields == [
            FieldChange(field: "tiers/optimal/limit/value", from: .number(150), to: .number(100)),
            FieldChange(field: "tiers/optimal/source", from: .null, to: .string("derived")),
        ])
        let media = try #require(diff.changed.first { $0.ruleID == "chime-media" })
        #expect(media.fields.map(\.field) == ["route/destinations"])
        #expect(media.fields[0].added == ["52.55.0.0/16"] && media.fields[0].removed == [])
        let sococo = try #require(diff.changed.first { $0.ruleID == "sococo-https" })
        #expect(sococo.fields.map(\.field) == ["tiers", "tiers/minimal/on_breach"])
        #expect(sococo.fields[0].added == ["minimal"])
        #expect(sococo.fields[1] == FieldChange(field: "tiers/minimal/on_breach", from: .null, to: .string("warn")))
        #expect(!diff.unchanged.contains("rtt") && diff.unchanged.contains("tcp-443"))
    }

    @Test func aVersionAgainstItselfChangesNothing() {
        let diff = PolicyDiff(from: v1, to: v1)
        #expect(diff.isEmpty)
        #expect(diff.unchanged == v1.rules.map(\.id))
    }

    @Test func reorderedDestinationsAreNoChange() {
        var reordered = v1
        if let index = reordered.rules.firstIndex(where: { $0.id == "chime-https" }) { reordered.rules[index].route?.destinations.reverse() }
        #expect(PolicyDiff(from: v1, to: reordered).isEmpty)
    }

    @Test func encodesValuesAsPlainJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let change = FieldChange(field: "tiers/optimal/limit/value", from: .number(150), to: .null)
        #expect(String(decoding: try encoder.encode(change), as: UTF8.self) == #"{"field":"tiers\/optimal\/limit\/value","from":150,"to":null}"#)
        let decoded = try JSONDecoder().decode(FieldChange.self, from: try encoder.encode(change))
        #expect(decoded == change)
    }
}
