import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct ChangesTests {
    @Test func changesComeNewestFirstAcrossPages() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let other = try await live.fixtures.site(name: "Other")
            let base = Date(timeIntervalSince1970: 1_790_000_000)
            try await live.reads.change(site: site, at: base, kind: "finding_appeared", code: "RTT_HIGH", from: "pass", to: "fail")
            try await live.reads.change(site: site, at: base + 60, kind: "verdict_changed", code: "VERDICT_DEGRADED", from: "optimal", to: "not_ready")
            try await live.reads.change(site: other, at: base + 90, kind: "finding_appeared", code: "TLS_INSPECTION", from: "pass", to: "warn")
            try await live.reads.change(site: site, at: base + 120, kind: "finding_cleared", code: "RTT_HIGH", from: "fail", to: "pass")

            let first = try await live.client.get("/v1/sites/\(site)/changes?limit=2", token: token)
            #expect(first.status == 200)
            let items = try #require(first.json?["items"] as? [[String: Any]])
            #expect(items.map { $0["kind"] as? String } == ["finding_cleared", "verdict_changed"])
            #expect(items[0]["code"] as? String == "RTT_HIGH")
            #expect(items[0]["status"] as? String == "pass")
            #expect(items[0]["from_status"] as? String == "fail")
            #expect(items[1]["from_verdict"] as? String == "optimal")
            #expect(items[1]["to_verdict"] as? String == "not_ready")
            #expect(items[1]["status"] is NSNull)
            let cursor = try #require(first.json?["next_cursor"] as? String)
            #expect(first.header("Link")?.contains("cursor=\(cursor)") == true)

            let second = try await live.client.get("/v1/sites/\(site)/changes?limit=2&cursor=\(cursor)", token: token)
            let rest = try #require(second.json?["items"] as? [[String: Any]])
            #expect(rest.map { $0["kind"] as? String } == ["finding_appeared"])
            #expect(second.json?["next_cursor"] is NSNull)
            #expect(second.header("Link") == nil)
        }
    }

    @Test func changesRefuseForeignCursorsAndUnknownSites() async throws {
        try await LiveService.with { live in
            let token = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            #expect(try await live.client.get("/v1/sites/\(site)/changes?cursor=abc", token: token).status == 400)
            #expect(try await live.client.get("/v1/sites/\(site)/changes?limit=0", token: token).status == 400)
            #expect(try await live.client.get("/v1/sites/\(UUID())/changes", token: token).status == 404)
            #expect(try await live.client.get("/v1/sites/\(site)/changes").status == 401)
            let agent = try await live.fixtures.agent(site: site)
            #expect(try await live.client.get("/v1/sites/\(site)/changes", token: agent.token).status == 403)
        }
    }
}
