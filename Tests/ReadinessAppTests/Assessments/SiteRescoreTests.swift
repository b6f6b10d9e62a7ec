import Foundation
import JSON
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// A site's current assessment follows what the site is judged by: changing its policy or its
/// expected users scores the stored results again at once, not at the next upload.
@Suite struct SiteRescoreTests {
    @Test func changingPolicyOrExpectedUsersScoresTheCurrentAssessmentAgain() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let path = "/v1/sites/\(site.uuidString.lowercased())"
            #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single()).status == 201)
            let before = try await live.client.get("\(path)/assessment", token: admin)
            let beforeBody = try before.decoded(SiteAssessmentBody.self)
            #expect(beforeBody.policy.name == "sococo")
            let etag = try #require(before.header("ETag"))

            // The same rules under another name: the verdict stays, the policy it names changes.
            let document = try await live.client.get("/v1/policies/sococo", token: admin).jsonTree().removingMember("policy")
            #expect(try await live.client.send("POST", "/v1/policies/strict-eu/versions", token: admin, body: document.data()).status == 201)
            #expect(try await live.client.put("\(path)/policy", token: admin, json: ["name": "strict-eu", "version": 1]).status == 200)
            let rescored = try await live.client.get("\(path)/assessment", token: admin)
            let rescoredBody = try rescored.decoded(SiteAssessmentBody.self)
            #expect(rescoredBody.policy.name == "strict-eu")
            #expect(rescoredBody.verdict == beforeBody.verdict)
            #expect(rescored.header("ETag") != etag)

            #expect(try await live.client.patch(path, token: admin, json: ["expected_users": 250]).status == 200)
            let resized = try await live.client.get("\(path)/assessment", token: admin)
            #expect(try resized.decoded(SiteAssessmentBody.self).site?.expectedConcurrentUsers == 250)

            // A rename changes nothing the site is judged by: the stored assessment stays as it is.
            let current = try #require(resized.header("ETag"))
            #expect(try await live.client.patch(path, token: admin, json: ["name": "renamed"]).status == 200)
            #expect(try await live.client.get("\(path)/assessment", token: admin).header("ETag") == current)
        }
    }

    @Test func aSiteWithoutResultsHasNothingToScore() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site()
            #expect(try await live.client.patch("/v1/sites/\(site.uuidString.lowercased())", token: admin,
                                                json: ["expected_users": 40]).status == 200)
            let rows = try await live.database.query("SELECT count(*)::int AS n FROM site_assessments WHERE site_id = \(site)")
            #expect(try rows.first?.decode(Int.self, column: "n") == 0)
        }
    }
}
