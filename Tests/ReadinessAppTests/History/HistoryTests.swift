import JSON
import Foundation
import ReadinessScoring
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite(.serialized) struct HistoryTests {
    static let yearStart = "2025-01-01T00:00:00Z"

    @Test func aYearOfFiveMinuteResultsComesBackAsDailyBucketsWithWorstVerdictAndMedians() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let policy = try BundledPolicy.sococo()
            let start = try #require(RFC3339Timestamp.parse(Self.yearStart))
            try await live.reads.insertSeries(site: site, start: start, count: 365 * 288, policy: policy)
            _ = try await live.database.execute("VACUUM ANALYZE results")
            let params = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)
            let goodScore = try #require(policy.evaluate(try ReadFixtures.result(ReadFixtures.goodJSON(at: start)), site: params).score)

            let clock = ContinuousClock.now
            let response = try await live.client.get(
                "/v1/sites/\(site)/history?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=day", token: token)
            print("daily history of a year, first call over HTTP:", ContinuousClock.now - clock)
            #expect(response.status == 200)
            let body = try response.decoded(SiteHistoryBody.self)
            #expect(body.bucket == "day")
            #expect(body.siteId == site.uuidString.lowercased())
            let points = body.points
            try #require(points.count == 365)
            #expect(points.allSatisfy { $0.resultCount == 288 })
            #expect(points[0].at == "2025-01-01T00:00:00Z")
            // Day 0 has a not_ready first hour: worst verdict shows it, the median score does not.
            #expect(points[0].verdict == "not_ready")
            #expect(points[0].score == goodScore)
            #expect(points[1].verdict == "optimal")
            #expect(points[1].rttMsP50 == 21.0)
            #expect(points[1].downKbps == 94000)
            #expect(points.filter { $0.verdict == "not_ready" }.count == 53)  // days 0, 7, …, 364
            // The one INSERT … SELECT of the fixture filled the hourly rollup through its trigger.
            let hours = try await live.database.query(
                "SELECT count(*)::int AS n, sum(result_count)::int AS results FROM result_hours WHERE site_id = \(site)")
            #expect(try hours[0].decode(Int.self, column: "n") == 365 * 24)
            #expect(try hours[0].decode(Int.self, column: "results") == 365 * 288)
        }
    }

    /// Hour 0 of 2025-03-10 holds round trips 10, 10, 100 ms (00:00, 00:20, 00:40: median 10,
    /// mean 40); hour 1 one of 20 ms, hour 2 one of 30 ms. Each is its own INSERT, so the
    /// rollup's first hour is built by three upserts.
    @Test func dailyFiguresAreMediansOfHourlyMeansAndHourlyFiguresExactMedians() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let policy = try BundledPolicy.sococo()
            let day = try #require(RFC3339Timestamp.parse("2025-03-10T00:00:00Z"))
            for (offset, rtt) in [(0, 10.0), (20, 10.0), (40, 100.0), (60, 20.0), (120, 30.0)] {
                let json = ReadFixtures.resultJSON(runID: UUID(), at: day + Double(offset) * 60, rtt: rtt, loss: 0)
                try await live.reads.insert(json, site: site, policy: policy)
            }
            func points(_ query: String) async throws -> [SiteHistoryBody.Point] {
                let response = try await live.client.get("/v1/sites/\(site)/history?\(query)", token: token)
                #expect(response.status == 200, "\(query)")
                return try response.decoded(SiteHistoryBody.self).points
            }

            let daily = try await points("from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z&bucket=day")
            #expect(daily.count == 1)
            #expect(daily.first?.resultCount == 5)
            #expect(daily.first?.rttMsP50 == 30.0)  // median of 40, 20, 30; of the results: 20
            #expect(daily.first?.downKbps == 94000)

            let hourly = try await points("from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z&bucket=hour")
            #expect(hourly.map(\.resultCount) == [3, 1, 1])
            #expect(hourly.first?.rttMsP50 == 10.0)
        }
    }

    /// The rollup holds whole hours; partial first and last hours come from the results, so a
    /// range that starts or ends inside an hour still counts exactly the results inside it.
    @Test(arguments: [
        ("from=2025-03-10T00:30:00Z&to=2025-03-10T02:00:00Z", 2, 60.0),  // 00:40 (100) and hour 1 (20)
        ("from=2025-03-10T00:10:00Z&to=2025-03-10T00:50:00Z", 2, 55.0),  // inside one hour: 00:20, 00:40
        ("from=2025-03-10T00:00:00Z&to=2025-03-10T02:00:00.500Z", 5, 30.0),
    ])
    func dailyBucketsOfRangesThatSplitAnHourCountExactly(query: String, count: Int, rtt: Double) async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let policy = try BundledPolicy.sococo()
            let day = try #require(RFC3339Timestamp.parse("2025-03-10T00:00:00Z"))
            for (offset, value) in [(0, 10.0), (20, 10.0), (40, 100.0), (60, 20.0), (120, 30.0)] {
                let json = ReadFixtures.resultJSON(runID: UUID(), at: day + Double(offset) * 60, rtt: value, loss: 0)
                try await live.reads.insert(json, site: site, policy: policy)
            }
            let response = try await live.client.get("/v1/sites/\(site)/history?\(query)&bucket=day", token: token)
            #expect(response.status == 200)
            let points = try response.decoded(SiteHistoryBody.self).points
            #expect(points.count == 1)
            #expect(points.first?.resultCount == count)
            #expect(points.first?.rttMsP50 == rtt)
        }
    }

    @Test func hourlyAndRawBucketsOfOneDay() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let policy = try BundledPolicy.sococo()
            let start = try #require(RFC3339Timestamp.parse(Self.yearStart))
            try await live.reads.insertSeries(site: site, start: start, count: 288 * 2, policy: policy)
            let day = "from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z"

            let hourly = try await live.client.get("/v1/sites/\(site)/history?\(day)&bucket=hour", token: token)
            let hours = try hourly.decoded(SiteHistoryBody.self).points
            try #require(hours.count == 24)
            #expect(hours[0].verdict == "not_ready")
            #expect(hours[0].rttMsP50 == 500.0)
            #expect(hours[0].resultCount == 12)
            #expect(hours[1].verdict == "optimal")

            let raw = try await live.client.get("/v1/sites/\(site)/history?\(day)&bucket=raw", token: token)
            let results = try raw.decoded(SiteHistoryBody.self).points
            try #require(results.count == 288)
            #expect(results[1].at == "2025-01-01T00:05:00Z")
            #expect(results.allSatisfy { $0.resultCount == 1 })
        }
    }

    @Test func rawHistoryOfMoreThanTenThousandResultsAsksForACoarserBucket() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let start = try #require(RFC3339Timestamp.parse(Self.yearStart))
            try await live.reads.insertSeries(site: site, start: start, count: 10_001, policy: try BundledPolicy.sococo())
            let response = try await live.client.get(
                "/v1/sites/\(site)/history?from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z&bucket=raw", token: token)
            #expect(response.status == 400)
            #expect(try response.problemPointers() == ["/query/bucket"])
        }
    }

    @Test(arguments: [
        ("from=yesterday", "/query/from"),
        ("from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z", "/query/from"),
        ("from=2024-01-01T00:00:00Z&to=2025-03-01T00:00:00Z", "/query/from"),
        ("to=2025-13-01T00:00:00Z", "/query/to"),
        ("bucket=week", "/query/bucket"),
    ])
    func badRangesAndBucketsAre400WithPointers(query: String, pointer: String) async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let response = try await live.client.get("/v1/sites/\(site)/history?\(query)", token: token)
            #expect(response.status == 400)
            #expect(try response.problemPointers() == [pointer])
        }
    }

    @Test func historyNeedsAReadTokenAndAnExistingSite() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            #expect(try await live.client.get("/v1/sites/\(site)/history").status == 401)
            #expect(try await live.client.get("/v1/sites/\(site)/history", token: agent.token).status == 403)
            #expect(try await live.client.get("/v1/sites/\(UUID())/history", token: token).status == 404)
            #expect(try await live.client.get("/v1/sites/not-a-uuid/history", token: token).status == 404)
            let empty = try await live.client.get("/v1/sites/\(site)/history", token: try await live.fixtures.token(.admin))
            #expect(empty.status == 200)
            #expect(try empty.decoded(SiteHistoryBody.self).points.isEmpty)
        }
    }
}

