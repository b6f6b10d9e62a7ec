import JSON
import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Daily points of whole past days are kept once computed (migration 0011) and must answer
/// exactly as a fresh computation would, whatever was stored since.
@Suite(.serialized) struct HistoryDayKeepingTests {
    static let start = "2025-03-01T00:00:00Z"
    static let tenDays = "from=2025-03-01T00:00:00Z&to=2025-03-11T00:00:00Z&bucket=day"

    static func body(_ live: LiveService, site: UUID, token: String, query: String = tenDays) async throws -> String {
        let response = try await live.client.get("/v1/sites/\(site)/history?\(query)", token: token)
        #expect(response.status == 200)
        return String(decoding: response.body, as: UTF8.self)
    }

    static func kept(_ live: LiveService, site: UUID) async throws -> [(day: Date, count: Int)] {
        let rows = try await live.database.query(
            "SELECT day, result_count FROM history_days WHERE site_id = \(site) ORDER BY day")
        return try rows.map { (try $0.decode(Date.self, column: "day"), try $0.decode(Int.self, column: "result_count")) }
    }

    @Test func keptPointsAnswerAsTheComputedOnesAndAreWhatIsRead() async throws {
        try await LiveService.with { live in
            let (token, site, _, start) = try await live.siteWithSeries(from: Self.start, days: 10)
            #expect(try await Self.kept(live, site: site).isEmpty)

            let computed = try await Self.body(live, site: site, token: token)
            let kept = try await Self.kept(live, site: site)
            #expect(kept.count == 10)
            #expect(kept.allSatisfy { $0.count == 288 })
            #expect(kept.first?.day == start)
            #expect(try await Self.body(live, site: site, token: token) == computed)

            // The second answer came from the kept rows: a changed row shows.
            _ = try await live.database.execute(
                "UPDATE history_days SET rtt_ms = 999 WHERE site_id = \(site) AND day = '2025-03-02T00:00:00Z'")
            let points = try await live.client.get("/v1/sites/\(site)/history?\(Self.tenDays)", token: token)
                .decoded(SiteHistoryBody.self).points
            #expect(points.map(\.rttMsP50) == [21] + [999] + Array(repeating: 21, count: 8))
        }
    }

    @Test func aResultStoredForAKeptDayIsCountedOnTheNextRead() async throws {
        try await LiveService.with { live in
            let (token, site, policy, start) = try await live.siteWithSeries(from: Self.start, days: 10)
            _ = try await Self.body(live, site: site, token: token)

            // A late upload for 2025-03-05 (hour 6): the trigger forgets that day's kept point.
            let late = start.addingTimeInterval(4 * 86_400 + 6 * 3600 + 60)
            try await live.reads.insert(ReadFixtures.badJSON(at: late), site: site, policy: policy)
            #expect(try await Self.kept(live, site: site).count == 9)

            let answer = try await Self.body(live, site: site, token: token)
            let points = try await live.client.get("/v1/sites/\(site)/history?\(Self.tenDays)", token: token)
                .decoded(SiteHistoryBody.self).points
            try #require(points.count > 4)
            #expect(points[4].resultCount == 289)
            #expect(points[4].verdict == "not_ready")
            #expect(try await Self.kept(live, site: site).map(\.count) == [288, 288, 288, 288, 289, 288, 288, 288, 288, 288])
            // Nothing kept changes the answer: the same as computed from nothing kept.
            _ = try await live.database.execute("DELETE FROM history_days WHERE site_id = \(site)")
            #expect(try await Self.body(live, site: site, token: token) == answer)
        }
    }

    @Test func aDayWithoutResultsIsKeptButShowsNoPoint() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let policy = try BundledPolicy.sococo()
            let start = try #require(RFC3339Timestamp.parse(Self.start))
            for day in [0.0, 2.0] {
                try await live.reads.insert(ReadFixtures.goodJSON(at: start.addingTimeInterval(day * 86_400 + 600)), site: site, policy: policy)
            }
            let threeDays = "from=2025-03-01T00:00:00Z&to=2025-03-04T00:00:00Z&bucket=day"
            func points() async throws -> [SiteHistoryBody.Point] {
                try await live.client.get("/v1/sites/\(site)/history?\(threeDays)", token: token).decoded(SiteHistoryBody.self).points
            }
            #expect(try await points().map(\.at) == ["2025-03-01T00:00:00Z", "2025-03-03T00:00:00Z"])
            #expect(try await Self.kept(live, site: site).map(\.count) == [1, 0, 1])
            #expect(try await points().count == 2)

            try await live.reads.insert(ReadFixtures.goodJSON(at: start.addingTimeInterval(86_400 + 600)), site: site, policy: policy)
            #expect(try await points().map(\.resultCount) == [1, 1, 1])
        }
    }

    /// Days the range cuts and the service's yesterday and today are computed on every read.
    @Test func recentAndCutDaysAreNeverKept() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let policy = try BundledPolicy.sococo()
            let midnight = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
            for daysAgo in [3.0, 2.0, 1.0] {
                let at = Date(timeIntervalSince1970: midnight - daysAgo * 86_400 + 7200)
                try await live.reads.insert(ReadFixtures.goodJSON(at: at), site: site, policy: policy)
            }
            let from = RFC3339Timestamp.format(Date(timeIntervalSince1970: midnight - 3 * 86_400 + 3600))
            let points = try await live.client.get(
                "/v1/sites/\(site)/history?from=\(from)&bucket=day", token: token).decoded(SiteHistoryBody.self).points
            #expect(points.count == 3)
            // The first day starts after its midnight (cut), the last is yesterday: only the middle one is kept.
            #expect(try await Self.kept(live, site: site).map(\.day) == [Date(timeIntervalSince1970: midnight - 2 * 86_400)])
        }
    }

    @Test(arguments: [
        // from, to, now, keepable [from, end)
        ("2025-03-01T00:00:00Z", "2025-03-11T00:00:00Z", "2026-01-01T00:00:00Z", "2025-03-01T00:00:00Z", "2025-03-11T00:00:00Z"),
        ("2025-03-01T00:30:00Z", "2025-03-10T23:30:00Z", "2026-01-01T00:00:00Z", "2025-03-02T00:00:00Z", "2025-03-10T00:00:00Z"),
        ("2025-03-01T00:00:00Z", "2025-03-11T00:00:00Z", "2025-03-10T12:00:00Z", "2025-03-01T00:00:00Z", "2025-03-09T00:00:00Z"),
        ("2025-03-01T10:00:00Z", "2025-03-01T20:00:00Z", "2026-01-01T00:00:00Z", "2025-03-02T00:00:00Z", "2025-03-01T00:00:00Z"),
    ])
    func keepableDaysAreWholeAndBeforeYesterday(from: String, to: String, now: String, keptFrom: String, keptEnd: String) throws {
        let range = TimeRange(from: try #require(RFC3339Timestamp.parse(from)), to: try #require(RFC3339Timestamp.parse(to)))
        let days = KeepableDays(HourSplit(range), now: try #require(RFC3339Timestamp.parse(now)))
        #expect(days.from == RFC3339Timestamp.parse(keptFrom))
        #expect(days.end == RFC3339Timestamp.parse(keptEnd))
        #expect(days.days.count == max(0, Int((days.end.timeIntervalSince(days.from) / 86_400).rounded())))
    }
}
