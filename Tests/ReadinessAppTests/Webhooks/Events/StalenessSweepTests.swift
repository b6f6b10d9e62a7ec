import Foundation
import Logging
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// `site.stale` and `site.fresh` against the real database, with "now" set by the test.
@Suite struct StalenessSweepTests {
    /// The default freshness window (no policy row: 24 h, as the fleet views judge it).
    static let day: TimeInterval = 86_400
    static let newest = Date(timeIntervalSince1970: 1_796_000_000)

    static func marks(_ db: OutboxDatabase) async throws -> [UUID: Date] {
        var marks: [UUID: Date] = [:]
        for row in try await db.database.query("SELECT site_id, stale_since FROM site_staleness") {
            marks[try row.decode(UUID.self, column: "site_id")] = try row.decode(Date.self, column: "stale_since")
        }
        return marks
    }

    @Test func aSiteIsStaleOncePerSpellAndFreshWhenResultsAreBack() async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site(newestResult: Self.newest)
            let webhook = try await db.webhook(eventTypes: ["site.stale", "site.fresh"])
            let sweep = StalenessSweep(database: db.database)

            // Inside the window: nothing.
            #expect(try await sweep.sweep(now: Self.newest + Self.day - 1) == .init())
            // Past it: marked since the newest result left the window, one event.
            let late = Self.newest + Self.day + 30
            #expect(try await sweep.sweep(now: late) == .init(turnedStale: 1, events: 1))
            #expect(try await Self.marks(db) == [site: Self.newest + Self.day])
            // Still stale an hour later: no second event.
            #expect(try await sweep.sweep(now: late + 3_600) == .init())
            let stale = try await db.database.query(
                "SELECT webhook_id, type, site_id, occurred_at, change_id, detail::text AS detail FROM webhook_events")
            #expect(stale.count == 1)
            #expect(try stale[0].decode(UUID.self, column: "webhook_id") == webhook)
            #expect(try stale[0].decode(String.self, column: "type") == "site.stale")
            #expect(try stale[0].decode(Date.self, column: "occurred_at") == Self.newest + Self.day)
            #expect(try stale[0].decode(Int?.self, column: "change_id") == nil)
            let detail = try APIBodyDecoder.shared.decode(
                WebhookStaleDetail.self, from: Data(stale[0].decode(String.self, column: "detail").utf8))
            #expect(detail.staleSince == "2026-12-01T00:53:20.000Z")
            #expect(detail.newestResultAt == "2026-11-30T00:53:20.000Z")
            #expect(detail.freshnessWindowS == Self.day)
            #expect(detail.verdict == "not_ready")

            // A result arrives: the mark goes and site.fresh is enqueued, dated by the sweep.
            let back = late + 7_200
            try await db.database.execute("UPDATE site_assessments SET newest_result_at = \(back - 60) WHERE site_id = \(site)")
            #expect(try await sweep.sweep(now: back) == .init(turnedFresh: 1, events: 1))
            #expect(try await Self.marks(db).isEmpty)
            let fresh = try await db.database.query(
                "SELECT type, occurred_at, detail ->> 'stale_since' AS since FROM webhook_events ORDER BY id DESC LIMIT 1")
            #expect(try fresh[0].decode(String.self, column: "type") == "site.fresh")
            #expect(try fresh[0].decode(Date.self, column: "occurred_at") == back)
            #expect(try fresh[0].decode(String.self, column: "since") == "2026-12-01T00:53:20.000Z")

            // Silent again: a new spell, a new event.
            #expect(try await sweep.sweep(now: back + Self.day + 60) == .init(turnedStale: 1, events: 1))
            #expect(try await db.events().map(\.type) == ["site.stale", "site.fresh", "site.stale"])
        }
    }

    @Test func marksAreKeptWithNoSubscriptionSoALaterOneHearsOnlyNewSpells() async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site(newestResult: Self.newest)
            let sweep = StalenessSweep(database: db.database)
            #expect(try await sweep.sweep(now: Self.newest + 2 * Self.day) == .init(turnedStale: 1))
            #expect(try await Self.marks(db).keys.contains(site))
            try await db.webhook()
            #expect(try await sweep.sweep(now: Self.newest + 3 * Self.day) == .init())
            #expect(try await db.events().isEmpty)
        }
    }

    @Test func sitesWithoutResultsAndArchivedSitesAreNotAnnounced() async throws {
        try await OutboxDatabase.with { db in
            try await db.webhook()
            try await db.site(newestResult: nil)
            let archived = try await db.site(newestResult: Self.newest)
            try await db.database.execute("UPDATE sites SET archived_at = now() WHERE id = \(archived)")
            let sweep = StalenessSweep(database: db.database)
            #expect(try await sweep.sweep(now: Self.newest + 2 * Self.day) == .init())
            #expect(try await Self.marks(db).isEmpty)

            // A site archived while marked loses its mark without an event.
            let marked = try await db.site(newestResult: Self.newest)
            #expect(try await sweep.sweep(now: Self.newest + 2 * Self.day) == .init(turnedStale: 1, events: 1))
            try await db.database.execute("UPDATE sites SET archived_at = now() WHERE id = \(marked)")
            #expect(try await sweep.sweep(now: Self.newest + 3 * Self.day) == .init(turnedFresh: 1))
            #expect(try await db.events().map(\.type) == ["site.stale"])
        }
    }

    static let filterCases: [((column: String, values: [String])?, Bool)] = [
        (nil, true),
        (("regions", ["emea"]), true), (("regions", ["apac"]), false),
        (("tags", ["floor-3"]), true), (("tags", ["lab"]), false),
        (("verdicts", ["stale"]), true), (("verdicts", ["not_ready"]), true), (("verdicts", ["optimal"]), false),
        // Not about a finding or a tier: these filters let stale and fresh through.
        (("finding_codes", ["UDP_BLOCKED"]), true), (("tiers_blocked", ["minimal"]), true),
    ]

    @Test(arguments: filterCases)
    func staleAndFreshGoWhereTheFiltersLetThem(filter: (column: String, values: [String])?, matches: Bool) async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site(newestResult: Self.newest)
            try await db.webhook(eventTypes: ["site.stale", "site.fresh"], filter: filter)
            let sweep = StalenessSweep(database: db.database)
            _ = try await sweep.sweep(now: Self.newest + 2 * Self.day)
            try await db.database.execute(
                "UPDATE site_assessments SET newest_result_at = \(Self.newest + 2 * Self.day) WHERE site_id = \(site)")
            _ = try await sweep.sweep(now: Self.newest + 2 * Self.day + 60)
            #expect(try await db.events().map(\.type) == (matches ? ["site.stale", "site.fresh"] : []))
        }
    }

    @Test func aSecondReplicaSkipsWhileOneSweeps() async throws {
        try await OutboxDatabase.with { db in
            try await db.site(newestResult: Self.newest)
            let held = HeldTransaction(db.database, ["SELECT pg_advisory_xact_lock(\(StalenessSweep.advisoryLockKey))"])
            await held.untilHeld()
            let sweep = StalenessSweep(database: db.database)
            #expect(try await sweep.sweep(now: Self.newest + 2 * Self.day) == .init(skipped: true))
            held.release()
            try await held.done.value
            #expect(try await sweep.sweep(now: Self.newest + 2 * Self.day) == .init(turnedStale: 1))
        }
    }

    /// A site an upload holds is left to the next sweep, so its stale or fresh event never
    /// takes an outbox id between that upload's own events and their commit.
    @Test func aSiteAnUploadHoldsIsLeftToTheNextSweep() async throws {
        try await OutboxDatabase.with { db in
            let busy = try await db.site(newestResult: Self.newest)
            let idle = try await db.site(newestResult: Self.newest)
            try await db.webhook()
            let upload = HeldTransaction(db.database, ["SELECT id FROM sites WHERE id = \(busy) FOR NO KEY UPDATE"])
            await upload.untilHeld()
            let sweep = StalenessSweep(database: db.database)
            #expect(try await sweep.sweep(now: Self.newest + 2 * Self.day) == .init(turnedStale: 1, events: 1))
            #expect(Set(try await Self.marks(db).keys) == [idle])
            upload.release()
            try await upload.done.value
            #expect(try await sweep.sweep(now: Self.newest + 2 * Self.day) == .init(turnedStale: 1, events: 1))
            #expect(Set(try await Self.marks(db).keys) == [idle, busy])
        }
    }

    @Test func theScheduleSweepsEveryIntervalAtTheClocksTime() async throws {
        try await OutboxDatabase.with { db in
            let site = try await db.site(newestResult: Self.newest)
            try await db.webhook()
            let clock = SweepClock(Self.newest + 60)
            let schedule = StalenessSweepSchedule(
                sweep: StalenessSweep(database: db.database), interval: .milliseconds(20), logger: Logger(label: "test"),
                clock: { clock.now })
            schedule.start()
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await Self.marks(db).isEmpty, "within the window at the clock's time")
            clock.now = Self.newest + 2 * Self.day
            let deadline = ContinuousClock.now + .seconds(5)
            while try await Self.marks(db).isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            await schedule.stop()
            #expect(try await Self.marks(db) == [site: Self.newest + Self.day])
            #expect(try await db.events().map(\.type) == ["site.stale"])
        }
    }
}

/// "Now" as the test sets it.
final class SweepClock: @unchecked Sendable {  // test-only; `value` behind `lock`
    private let lock = NSLock()
    private var value: Date

    init(_ start: Date) { value = start }

    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
