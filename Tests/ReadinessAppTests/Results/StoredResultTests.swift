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
            let stored = try response.decoded(StoredResultBody.self)
            #expect(stored.siteId == site.uuidString.lowercased())
            #expect(stored.agentId == agent.id.uuidString.lowercased())
            #expect(UUID(uuidString: stored.result.runId) == runID)
            // The healthy sample's evaluation: optimal, with a finding for every rule of the policy.
            #expect(stored.assessment.verdict == "optimal")
            // The document's rules, then the built-in DNS rule every policy ends with.
            #expect(stored.assessment.findings.count == (try BundledPolicy.sococo()).document.rules.count + 1)
            #expect(try await live.client.get(path, token: agent.token).status == 200)
            #expect(try await live.client.get(path, token: other.token).status == 404)
            #expect(try await live.client.get("/v1/results/\(UUID().uuidString)", token: read).status == 404)
        }
    }

    /// The body is stored as json (migration 0009): GET answers with exactly the canonical JSON
    /// the upload was hashed over, whichever write path stored it (the set-based group statement,
    /// or the per-upload savepoints a replay in the group falls back to).
    @Test func storedBodyIsTheCanonicalJSONByteForByteOnBothWritePaths() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let read = try await live.fixtures.token(.read)
            let first = ResultSamples.json()
            let second = ResultSamples.json(lossPct: 0.25, hostname: "lobby-pc-4")
            let stored = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.data(first))
            #expect(stored.status == 201)
            // A replay beside a new result: the group statement's claim fails, the savepoints store it.
            let mixed = try await live.client.send(
                "POST", "/v1/results", token: agent.token, body: ResultSamples.batch([first, second]))
            #expect(mixed.status == 201)
            for sample in [first, second] {
                let canonical = try ResultIngest.decode(Array(ResultSamples.data(sample)), now: Date()).results[0].canonicalJSONBytes()
                let runID = try #require(sample["run_id"] as? String)
                let response = try await live.client.get("/v1/results/\(runID)", token: read)
                #expect(response.status == 200)
                #expect(Self.resultMember(of: Array(response.body)) == canonical)
            }
        }
    }

    /// The bytes of the answer's `result` member: the stored body, spliced in between the
    /// top-level `received_at` and `run_id` (the last of each: the body has a run_id of its own).
    static func resultMember(of answer: [UInt8]) -> [UInt8]? {
        func last(_ needle: String) -> Int? {
            let bytes = Array(needle.utf8)
            guard answer.count >= bytes.count else { return nil }
            return (0...(answer.count - bytes.count)).last { answer[$0..<($0 + bytes.count)].elementsEqual(bytes) }
        }
        let key = Array(#"","result":"#.utf8)
        guard let receivedAt = last(#","received_at":""#), let end = last(#","run_id":""#),
              let start = (receivedAt..<end).first(where: { answer[$0...].starts(with: key) }) else { return nil }
        return Array(answer[(start + key.count)..<end])
    }
}
