import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Which change makes which event, and what each filter matches, as migration 0020 says: one
/// subscription with one filter, one change, the events that come of it.
@Suite struct OutboxFilterTests {
    typealias Change = OutboxDatabase.Change

    struct Case: Sendable, CustomTestStringConvertible {
        let filter: (column: String, values: [String])?
        let change: Change
        /// The event type expected, or nil for no event.
        let event: String?
        var testDescription: String {
            "\(filter.map { "\($0.column)=\($0.values)" } ?? "no filter"): \(change) -> \(event ?? "nothing")"
        }
    }

    static let degraded = Change.verdict("optimal", "not_ready")
    static let udpFails = Change.finding("finding_appeared", "UDP_BLOCKED", rule: "udp", "pass", "fail")
    static let rttWarns = Change.finding("finding_appeared", "RTT_HIGH", rule: "rtt", "pass", "warn")
    static let tlsClears = Change.finding("finding_cleared", "TLS_INSPECTED", rule: "tls", "warn", "pass")
    static let gone = Change.finding("finding_cleared", "OLD_RULE", rule: "removed", "fail", nil)
    static let the = "site.finding_appeared"

    static let cases: [Case] = [
        // Kinds to events.
        Case(filter: nil, change: degraded, event: "site.verdict_changed"),
        Case(filter: nil, change: udpFails, event: the),
        Case(filter: nil, change: tlsClears, event: "site.finding_cleared"),
        Case(filter: nil, change: .finding("finding_changed", "RTT_HIGH", rule: "rtt", "warn", "fail"), event: the),
        Case(filter: nil, change: .finding("finding_changed", "RTT_HIGH", rule: "rtt", "unknown", "fail"), event: the),
        Case(filter: nil, change: .finding("finding_changed", "RTT_HIGH", rule: "rtt", "fail", "warn"), event: nil),
        Case(filter: nil, change: .finding("finding_changed", "RTT_HIGH", rule: "rtt", "warn", "unknown"), event: nil),
        // Site, region, tags.
        Case(filter: ("site_ids", ["SITE"]), change: degraded, event: "site.verdict_changed"),
        Case(filter: ("site_ids", [UUID().uuidString]), change: degraded, event: nil),
        Case(filter: ("regions", ["apac", "emea"]), change: udpFails, event: the),
        Case(filter: ("regions", ["apac"]), change: udpFails, event: nil),
        Case(filter: ("tags", ["floor-3", "lab"]), change: udpFails, event: the),
        Case(filter: ("tags", ["lab"]), change: udpFails, event: nil),
        // Verdicts: before or after for a verdict change, the site's verdict for a finding.
        Case(filter: ("verdicts", ["not_ready"]), change: degraded, event: "site.verdict_changed"),
        Case(filter: ("verdicts", ["optimal"]), change: degraded, event: "site.verdict_changed"),
        Case(filter: ("verdicts", ["minimal", "stale"]), change: degraded, event: nil),
        Case(filter: ("verdicts", ["not_ready"]), change: udpFails, event: the),
        Case(filter: ("verdicts", ["optimal"]), change: udpFails, event: nil),
        // Finding codes: the finding's own; a verdict change is about no one finding.
        Case(filter: ("finding_codes", ["UDP_BLOCKED"]), change: udpFails, event: the),
        Case(filter: ("finding_codes", ["RTT_HIGH"]), change: udpFails, event: nil),
        Case(filter: ("finding_codes", ["RTT_HIGH"]), change: degraded, event: "site.verdict_changed"),
        // Tiers blocked: what the finding blocks now; what a clearing rule gates; what the
        // verdict before or after blocks.
        Case(filter: ("tiers_blocked", ["minimal"]), change: udpFails, event: the),
        Case(filter: ("tiers_blocked", ["optimal"]), change: udpFails, event: nil),
        Case(filter: ("tiers_blocked", ["minimal", "optimal"]), change: rttWarns, event: nil),
        Case(filter: ("tiers_blocked", ["optimal"]), change: tlsClears, event: "site.finding_cleared"),
        Case(filter: ("tiers_blocked", ["minimal"]), change: tlsClears, event: nil),
        Case(filter: ("tiers_blocked", ["minimal"]), change: gone, event: "site.finding_cleared"),
        Case(filter: ("tiers_blocked", ["minimal"]), change: degraded, event: "site.verdict_changed"),
        Case(filter: ("tiers_blocked", ["optimal"]), change: degraded, event: nil),
        Case(filter: ("tiers_blocked", ["optimal"]), change: .verdict("optimal", "minimal"), event: "site.verdict_changed"),
    ]

    @Test(arguments: cases)
    func aChangeMakesTheEventItsFilterAllows(_ test: Case) async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site()
            let filter = test.filter.map { ($0.column, $0.values.map { $0 == "SITE" ? site.uuidString : $0 }) }
            let webhook = try await db.webhook(filter: filter)
            try await db.insert(test.change, site: site)
            let events = try await db.events()
            #expect(events.map(\.type) == (test.event.map { [$0] } ?? []))
            #expect(events.allSatisfy { $0.webhook == webhook })
        }
    }

    @Test func aSiteWithoutARegionMatchesNoRegionList() async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site(region: nil)
            try await db.webhook(filter: ("regions", ["emea"]))
            let everywhere = try await db.webhook()
            try await db.insert(Self.degraded, site: site)
            #expect(try await db.events().map(\.webhook) == [everywhere])
        }
    }

    @Test func onlyEnabledSubscriptionsOfTheEventsTypeGetIt() async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site()
            try await db.webhook(enabled: false)
            try await db.webhook(eventTypes: ["site.finding_cleared", "site.stale"])
            let wanting = try await db.webhook(eventTypes: ["site.verdict_changed"])
            try await db.insert(Self.degraded, site: site)
            #expect(try await db.events().map(\.webhook) == [wanting])
        }
    }
}
