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
            let firstPage = try first.decoded(Page<ChangeBody>.self)
            let items = firstPage.items
            #expect(items.map(\.kind) == ["finding_cleared", "verdict_changed"])
            try #require(items.count == 2)
            #expect(items[0].code == "RTT_HIGH")
            #expect(items[0].status == "pass")
            #expect(items[0].fromStatus == "fail")
            #expect(items[1].fromVerdict == "optimal")
            #expect(items[1].toVerdict == "not_ready")
            #expect(items[1].status == nil)  // present and null: `ChangeBody` requires the member
            let cursor = try #require(firstPage.nextCursor)
            #expect(first.header("Link")?.contains("cursor=\(cursor)") == true)

            let second = try await live.client.get("/v1/sites/\(site)/changes?limit=2&cursor=\(cursor)", token: token)
            let secondPage = try second.decoded(Page<ChangeBody>.self)
            #expect(secondPage.items.map(\.kind) == ["finding_appeared"])
            #expect(secondPage.nextCursor == nil)  // present and null: `Page` requires the member
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
