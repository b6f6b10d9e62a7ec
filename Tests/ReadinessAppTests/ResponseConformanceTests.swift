import Foundation
import JSON
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// What the server answers is what `openapi/openapi.yaml` documents: one scenario calls every
/// operation through the real server (successes, and the errors clients meet most), and
/// `scripts/check-responses.py` checks every answer's status, content type and body against
/// the operation's documented response schema. Any documented operation the scenario never
/// got a 2xx from fails it too, so a new operation has to join the scenario.
@Suite struct ResponseConformanceTests {
    @Test func everyAnswerOfAScenarioOverEveryOperationIsTheDocumentedOne() async throws {
        try await LiveService.with { live in
            let api = ResponseRecorder(live.client)
            let admin = try await live.fixtures.token(.admin)
            let read = try await live.fixtures.token(.read)

            // Health and the document itself.
            try await api.send("GET", "/healthz", token: nil)
            try await api.send("GET", "/readyz", token: nil)
            try await api.send("GET", "/openapi.yaml", token: nil)
            try await api.send("GET", "/metrics", token: read)
            try await api.send("GET", "/metrics", token: nil)  // 401
            // The page of every problem type the service has (the checker holds them to the
            // spec's `ProblemType`, both ways), and one it does not have.
            for problem in ProblemTypes.all {
                try await api.send("GET", problem.uri, token: nil)
            }
            try await api.send("GET", "/problems/no-such-problem", token: nil)  // 404

            // Sites.
            let created = try await api.send("POST", "/v1/sites", token: admin, json: [
                "name": "Conformance HQ", "region": "emea", "timezone": "Europe/Berlin", "tags": ["hq"],
                "expected_users": 25, "longest_call_s": 3600,
            ])
            #expect(created.status == 201)
            let site = try created.decoded(SiteBody.self).id
            try await api.send("POST", "/v1/sites", token: admin, json: ["name": ""])  // 422
            try await api.send("POST", "/v1/sites", token: admin, headers: ["Content-Type": "text/plain"], body: Data("x".utf8))  // 415
            try await api.send("GET", "/v1/sites?limit=1", token: read)
            try await api.send("GET", "/v1/sites?limit=0", token: read)  // 400
            try await api.send("POST", "/v1/sites", token: admin, body: Data("{".utf8))  // 400, not JSON
            try await api.send("GET", "/v1/sites?region=a%00b", token: read)  // 400, unstorable
            try await api.send("GET", "/v1/sites/\(site)", token: read)
            try await api.send("GET", "/v1/sites/\(UUID())", token: read)  // 404
            try await api.send("GET", "/v1/sites/not-a-uuid", token: read)  // 400 or 404
            try await api.send("PATCH", "/v1/sites/\(site)", token: admin, json: ["name": "Conformance HQ 2"],
                               headers: ["Content-Type": "application/merge-patch+json"])
            try await api.send("PATCH", "/v1/sites/\(site)", token: read, json: ["name": "x"],
                               headers: ["Content-Type": "application/merge-patch+json"])  // 403

            // Agents and tokens.
            let registered = try await api.send("POST", "/v1/sites/\(site)/agents", token: admin, json: ["name": "lobby-pc-3"])
            let registeredAgent = try registered.decoded(RegisteredAgentBody.self)
            let agentToken = registeredAgent.token, agentID = registeredAgent.agent.id
            try await api.send("GET", "/v1/sites/\(site)/agents", token: read)
            let minted = try await api.send("POST", "/v1/tokens", token: admin, json: ["name": "ticketing", "scope": "read"])
            let mintedID = try minted.decoded(CreatedTokenBody.self).tokenInfo.id
            try await api.send("POST", "/v1/tokens", token: admin, json: ["name": "x", "scope": "root"])  // 422
            try await api.send("GET", "/v1/tokens", token: admin)
            try await api.send("GET", "/v1/tokens", token: "rdy_not-a-real-token")  // 401

            // Results: one, a batch, the same one again, a conflicting one, an invalid one.
            let now = Date()
            let runID = UUID()
            let single = ReadFixtures.goodJSON(runID: runID, at: now.addingTimeInterval(-300))
            let upload = try await api.send("POST", "/v1/results", token: agentToken, body: Data(single.utf8))
            #expect(upload.status == 201)
            let batch = "{\"results\":[\(ReadFixtures.badJSON(at: now.addingTimeInterval(-200))),\(ReadFixtures.goodJSON(at: now.addingTimeInterval(-100)))]}"
            try await api.send("POST", "/v1/results", token: agentToken, body: Data(batch.utf8))
            try await api.send("POST", "/v1/results", token: agentToken, body: Data(single.utf8))  // 200, a replay
            let conflicting = ReadFixtures.badJSON(runID: runID, at: now.addingTimeInterval(-300))
            try await api.send("POST", "/v1/results", token: agentToken, body: Data(conflicting.utf8))  // 409
            try await api.send("POST", "/v1/results", token: agentToken, json: ["schema": "probe-result/v1"])  // 422
            try await api.send("POST", "/v1/results", token: read, body: Data(single.utf8))  // 403
            try await api.send("GET", "/v1/results/\(runID)", token: read)
            try await api.send("GET", "/v1/results/\(UUID())", token: read)  // 404

            // Assessments, history, changes, what-if.
            let assessment = try await api.send("GET", "/v1/sites/\(site)/assessment", token: read)
            let etag = try #require(assessment.header("ETag"))
            let unchanged = try await api.send("GET", "/v1/sites/\(site)/assessment", token: read, headers: ["If-None-Match": etag])
            #expect(unchanged.status == 304)
            for bucket in ["raw", "hour", "day"] {
                try await api.send("GET", "/v1/sites/\(site)/history?bucket=\(bucket)", token: read)
            }
            try await api.send("GET", "/v1/sites/\(site)/history?bucket=week", token: read)  // 400
            try await api.send("GET", "/v1/sites/\(site)/changes", token: read)
            try await api.send("POST", "/v1/sites/\(site)/rescore?bucket=hour", token: read)

            // Fleet views, JSON and CSV.
            try await api.send("GET", "/v1/assessments?limit=10", token: read)
            try await api.send("GET", "/v1/assessments", token: read, headers: ["Accept": "text/csv"])
            try await api.send("GET", "/v1/fleet/summary", token: read)
            try await api.send("GET", "/v1/fleet/history?bucket=day", token: read)

            // Remediation: one site and the fleet, in every form, and the faults.
            try await api.send("GET", "/v1/sites/\(site)/remediation", token: read)
            try await api.send("GET", "/v1/sites/\(site)/remediation", token: read, headers: ["Accept": "text/csv"])
            try await api.send("GET", "/v1/sites/\(site)/remediation", token: read, headers: ["Accept": "text/plain"])
            try await api.send("GET", "/v1/sites/\(site)/remediation", token: read, headers: ["Accept": "application/xml"])  // 406
            try await api.send("GET", "/v1/sites/\(UUID())/remediation", token: read)  // 404
            try await api.send("GET", "/v1/remediation?limit=10", token: read)
            try await api.send("GET", "/v1/remediation", token: read, headers: ["Accept": "text/csv"])
            try await api.send("GET", "/v1/remediation?stale=maybe", token: read)  // 400

            // Policies: list, get, a new version, a site moved to it, a dry evaluation.
            try await api.send("GET", "/v1/policies", token: read)
            let stored = try await api.send("GET", "/v1/policies/sococo", token: read).jsonTree()
            try await api.send("GET", "/v1/policies/unknown", token: read)  // 404
            let document = try stored.settingMember("title", to: "stricter").data()
            let version = try await api.send("POST", "/v1/policies/sococo/versions", token: admin, body: document)
            #expect(version.status == 201)
            try await api.send("POST", "/v1/policies/sococo/versions", token: admin, json: ["title": "no rules"])  // 422
            // A fleet preview of a candidate document (JSON and CSV), of a stored version, of an invalid document.
            #expect(try await api.send("POST", "/v1/policies/sococo/preview", token: admin, body: document).status == 200)
            try await api.send("POST", "/v1/policies/sococo/preview?limit=1", token: admin, headers: ["Accept": "text/csv"], body: document)
            try await api.send("POST", "/v1/policies/sococo/preview", token: admin, json: ["version": 1])
            try await api.send("POST", "/v1/policies/sococo/preview", token: admin, json: ["title": "no rules"])  // 422
            try await api.send("GET", "/v1/policies/sococo/diff?from=1&to=2", token: read)
            try await api.send("GET", "/v1/policies/sococo/diff?from=1", token: read)  // 400
            try await api.send("GET", "/v1/policies/sococo/diff?from=1&to=99", token: read)  // 404
            try await api.send("PUT", "/v1/sites/\(site)/policy", token: admin, json: ["name": "sococo", "version": 2])
            try await api.send("POST", "/v1/policies/sococo/evaluate", token: read,
                               body: Data("{\"result\":\(ReadFixtures.goodJSON(at: now))}".utf8))

            // What agents call besides uploads.
            try await api.send("GET", "/v1/agent/plan", token: agentToken)
            try await api.send("GET", "/v1/probe/download?bytes=16", token: agentToken)
            try await api.send("POST", "/v1/probe/upload", token: agentToken,
                               headers: ["Content-Type": "application/octet-stream"], body: Data(repeating: 7, count: 64))

            // Webhook subscriptions and deliveries.
            try await api.exerciseWebhookSubscriptions(admin: admin, read: read)
            try await api.exerciseWebhookDeliveries(admin: admin, read: read, database: live.database)

            // Revocations and archiving last: they end what the steps above used.
            try await api.send("DELETE", "/v1/tokens/\(mintedID)", token: admin)
            try await api.send("DELETE", "/v1/agents/\(agentID)", token: admin)
            try await api.send("DELETE", "/v1/sites/\(site)", token: admin)

            // The WebSocket probe answers 101 Switching Protocols, which URLSession does not
            // hand back; WebSocketProbeTests checks it over a raw socket.
            let checked = try await api.check(uncovered: ["GET /v1/probe/websocket"])
            #expect(checked.status == 0, "\(checked.output)")
        }
    }
}
