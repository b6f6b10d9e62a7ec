import JSON
import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct FleetHistoryTests {
    @Test func sitesCountWithTheVerdictOfTheirNewestFreshResult() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let policy = try BundledPolicy.sococo()
            let good = try await live.fixtures.site(name: "Good")
            let bad = try await live.fixtures.site(name: "Bad")
            let day = try #require(RFC3339Timestamp.parse("2025-03-10T00:00:00Z"))
            try await live.reads.insert(ReadFixtures.goodJSON(at: day + 10 * 3600), site: good, policy: policy)
            try await live.reads.insert(ReadFixtures.badJSON(at: day + 12 * 3600), site: bad, policy: policy)

            let daily = try await live.client.get(
                "/v1/fleet/history?bucket=day&from=2025-03-09T00:00:00Z&to=2025-03-13T00:00:00Z", token: token)
            #expect(daily.status == 200)
            let days = try daily.decoded(FleetHistoryBody.self).points
            #expect(days.count == 1)  // by the end of the 11th both results are older than 24 h
            #expect(days.first?.at == "2025-03-10T00:00:00Z")
            #expect(days.first?.optimal == 1)
            #expect(days.first?.notReady == 1)

            let hourly = try await live.client.get(
                "/v1/fleet/history?bucket=hour&from=2025-03-10T00:00:00Z&to=2025-03-12T00:00:00Z", token: token)
            let hours = try hourly.decoded(FleetHistoryBody.self).points
            // The good result decides 24 hourly buckets (10:00 on the 10th to 09:00 on the 11th).
            #expect(hours.filter { $0.optimal == 1 }.count == 24)
            #expect(hours.first?.at == "2025-03-10T10:00:00Z")
            #expect(hours.first?.notReady == 0)
            #expect(hours.filter { $0.notReady == 1 }.count == 24)
        }
    }

    @Test func fleetHistoryRefusesRawBuckets() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let response = try await live.client.get("/v1/fleet/history?bucket=raw", token: token)
            #expect(response.status == 400)
            #expect(try response.problemPointers() == ["/query/bucket"])
        }
    }
}
