import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// The site's history lock (`HistoryDayLock`, migration 0011) orders a daily read that keeps
/// points against a result stored late for one of those days, whichever side starts first.
/// Each test holds one side's transaction open where the race would bite, and watches the
/// other side queue for the lock in `pg_locks` (no sleeps: a side that did not wait would
/// fail the watch, and would leave a stale kept point behind).
@Suite(.serialized) struct HistoryDayLockTests {
    static let start = "2025-03-01T00:00:00Z"
    static let tenDays = "from=2025-03-01T00:00:00Z&to=2025-03-11T00:00:00Z&bucket=day"
    /// 2025-03-05, the fifth day of the range; the late result lands in its hour 6.
    static let lateDay = 4

    @Test func aLateResultWaitsForAReadKeepingItsDayThenForgetsThePoint() async throws {
        try await LiveService.with { live in
            let (token, site, policy, start) = try await live.siteWithSeries(from: Self.start, days: 10)
            let day = start.addingTimeInterval(Double(Self.lateDay) * 86_400)

            // A read that has computed the day from a snapshot without the late result, and
            // is keeping that point, holds the lock until it commits.
            let read = HeldTransaction(live.database, [
                HistoryDayLock.lock(site: site),
                "INSERT INTO history_days (site_id, day, result_count, verdict) VALUES (\(site), \(day), 288, 'optimal')",
            ])
            defer { read.release() }
            #expect(try await Self.waitForHistoryLocks(live.database, granted: true))

            let late = Task {
                try await live.reads.insert(ReadFixtures.badJSON(at: day.addingTimeInterval(6 * 3600 + 60)), site: site, policy: policy)
            }
            #expect(try await Self.waitForHistoryLocks(live.database, granted: false), "the late result's trigger must queue for the lock")
            read.release()
            try await read.done.value
            try await late.value

            // Once the read committed, the trigger forgot the point it kept.
            #expect(try await Self.keptDays(live.database, site: site).isEmpty)
            let points = try await Self.points(live, site: site, token: token)
            try #require(points.count > Self.lateDay)
            #expect(points[Self.lateDay].resultCount == 289)
            #expect(try await Self.keptCounts(live.database, site: site)[Self.lateDay] == 289)
        }
    }

    @Test func aReadKeepingADayWaitsForALateResultThenCountsIt() async throws {
        try await LiveService.with { live in
            let (token, site, policy, start) = try await live.siteWithSeries(from: Self.start, days: 10)
            let day = start.addingTimeInterval(Double(Self.lateDay) * 86_400)

            // A late upload's transaction: its rollup trigger took the lock, and it has not
            // committed yet.
            let statements = try ReadFixtures.insertStatements(
                ReadFixtures.badJSON(at: day.addingTimeInterval(6 * 3600 + 60)), site: site, policy: policy)
            let upload = HeldTransaction(live.database, [statements.partition, statements.insert])
            defer { upload.release() }
            #expect(try await Self.waitForHistoryLocks(live.database, granted: true))

            let read = Task { try await live.client.get("/v1/sites/\(site)/history?\(Self.tenDays)", token: token) }
            #expect(try await Self.waitForHistoryLocks(live.database, granted: false), "the read must queue for the lock")
            upload.release()
            try await upload.done.value

            // The read's snapshot came after the upload's commit: the day counts it, and so
            // does the point kept.
            let answer = try await read.value
            #expect(answer.status == 200)
            let points = try answer.decoded(SiteHistoryBody.self).points
            try #require(points.count > Self.lateDay)
            #expect(points[Self.lateDay].resultCount == 289)
            #expect(points[Self.lateDay].verdict == "not_ready")
            let kept = try await Self.keptCounts(live.database, site: site)
            #expect(kept.count == 10)
            #expect(kept[Self.lateDay] == 289)
        }
    }

    // MARK: - Helpers

    /// Polls this database's history locks (two-key advisory locks in HistoryDayLock's
    /// space) until one is held (`granted`) or queued for (`!granted`); false after 10 s.
    static func waitForHistoryLocks(_ database: PostgresPool, granted: Bool) async throws -> Bool {
        for _ in 0..<500 {
            let rows = try await database.query(
                """
                SELECT count(*)::int AS n FROM pg_locks
                WHERE locktype = 'advisory' AND classid = 1212765012 AND objsubid = 2 AND granted = \(granted)
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """)
            if try rows[0].decode(Int.self, column: "n") > 0 { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    static func points(_ live: LiveService, site: UUID, token: String) async throws -> [SiteHistoryBody.Point] {
        let response = try await live.client.get("/v1/sites/\(site)/history?\(tenDays)", token: token)
        #expect(response.status == 200)
        return try response.decoded(SiteHistoryBody.self).points
    }

    static func keptDays(_ database: PostgresPool, site: UUID) async throws -> [Date] {
        let rows = try await database.query("SELECT day FROM history_days WHERE site_id = \(site) ORDER BY day")
        return try rows.map { try $0.decode(Date.self, column: "day") }
    }

    static func keptCounts(_ database: PostgresPool, site: UUID) async throws -> [Int] {
        let rows = try await database.query("SELECT result_count FROM history_days WHERE site_id = \(site) ORDER BY day")
        return try rows.map { try $0.decode(Int.self, column: "result_count") }
    }
}
