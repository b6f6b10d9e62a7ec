import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct StoredResultTests {
    @Test func storedResultIsReturnedWithItsAssessmentAndHiddenFromOtherSitesAgents() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let other = try await live.fixtures.agent(site: try await live.fixtures.site(name: "Branch"))
            let read = try await live.fixtures.token(.read)
            let runID = UUID()
            _ = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single(runID))
            let path = "/v1/results/\(runID.uuidString.lowercased())"
            let response = try await live.client.get(path, token: read)
            #expect(response.status == 200)
            let json = try #require(response.json)
            #expect(json["site_id"] as? String == site.uuidString.lowercased())
            #expect(json["agent_id"] as? String == agent.id.uuidString.lowercased())
            #expect(((json["result"] as? [String: Any])?["run_id"] as? String).flatMap(UUID.init(uuidString:)) == runID)
            #expect((json["assessment"] as? [String: Any])?["findings"] is [Any])
            #expect(try await live.client.get(path, token: agent.token).status == 200)
            #expect(try await live.client.get(path, token: other.token).status == 404)
            #expect(try await live.client.get("/v1/results/\(UUID().uuidString)", token: read).status == 404)
        }
    }
}
