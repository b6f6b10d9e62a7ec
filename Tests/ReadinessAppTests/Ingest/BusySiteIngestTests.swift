import Foundation
import Postgres
import ReadinessScoring
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// A busy site costs the commit lane what one run costs, not what its window holds: a replay
/// beside new uploads adds nothing to rebuild, and a restart (an empty window cache) serves the
/// next upload without reading a single result body. Bodies are overwritten with `{}` (which
/// no longer decodes as a result) to prove they are not read.
@Suite struct BusySiteIngestTests {
    typealias Group = GroupCommitTests

    /// Results finishing over the last hours, `count` of them, in uploads of at most 200.
    static func fill(_ live: LiveService, site: UUID, agent: UUID?, count: Int, windows: SiteWindowCache) async throws -> [UUID] {
        var ids: [UUID] = []
        var done = 0
        while done < count {
            let size = min(200, count - done)
            let bodies = (0..<size).map { index -> [String: Any] in
                let id = UUID()
                ids.append(id)
                return ResultSamples.json(runID: id, startedAt: Date().addingTimeInterval(-Double(done + index) * 5 - 200),
                                          lossPct: Double((done + index) % 3) / 10, hostname: "pc-\(index % 4)")
            }
            let written = try await Group.write(live, [try await Group.prepare(live, site: site, agent: agent, bodies)], windows: windows)
            #expect(written.replies.allSatisfy { (try? $0.get()) != nil })
            done += size
        }
        return ids
    }

    static func spoilBodies(_ live: LiveService, site: UUID) async throws {
        try await live.database.execute("UPDATE results SET body = '{}'::jsonb WHERE site_id = \(site)")
    }

    @Test func replayBesideNewUploadsOfABusySiteReadsNoBodyAndCountsOnlyTheNewRuns() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site(), other = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let windows = SiteWindowCache()
            let ids = try await Self.fill(live, site: site, agent: agent.id, count: 300, windows: windows)
            let earlier = try #require(try await live.database.query(
                "SELECT body::text AS body FROM results WHERE run_id = \(ids[0])").first?.decode(String.self, column: "body"))
            try await Self.spoilBodies(live, site: site)
            let replayed = try #require(try JSONSerialization.jsonObject(with: Data(earlier.utf8)) as? [String: Any])
            let uploads = [
                try await Group.prepare(live, site: site, agent: agent.id, [replayed]),
                try await Group.prepare(live, site: site, agent: agent.id, [ResultSamples.json(), ResultSamples.json()]),
                try await Group.prepare(live, site: other, agent: nil, [ResultSamples.json()]),
                try await Group.prepare(live, site: site, agent: agent.id, [ResultSamples.json()]),
            ]
            let before = SiteWindowLoader.bodiesRead.count(site: site)
            let loaded = SiteWindowLoader.windowsLoaded.count(site: site)
            let written = try await Group.write(live, uploads, windows: windows)
            let statuses = written.replies.map { (try? $0.get())?.map(\.status) ?? [] }
            #expect(statuses == [[.duplicate], [.created, .created], [.created], [.created]])
            #expect(try await Group.runs(live, site: site) == 303)
            #expect(try await Group.runs(live, site: other) == 1)
            #expect(SiteWindowLoader.bodiesRead.count(site: site) == before)
            // The busy site's remembered window served the group: nothing was read back.
            #expect(SiteWindowLoader.windowsLoaded.count(site: site) == loaded)
        }
    }

    @Test func restartServesTheNextUploadFromWindowEntriesWithoutReadingBodies() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            _ = try await Self.fill(live, site: site, agent: agent.id, count: 120, windows: SiteWindowCache())
            try await Self.spoilBodies(live, site: site)
            let before = SiteWindowLoader.bodiesRead.count(site: site)
            let restarted = SiteWindowCache()
            let written = try await Group.write(
                live, [try await Group.prepare(live, site: site, agent: agent.id, [ResultSamples.json()])], windows: restarted)
            #expect(written.replies.allSatisfy { (try? $0.get())?.first?.status == .created })
            #expect(try await Group.runs(live, site: site) == 121)
            #expect(SiteWindowLoader.bodiesRead.count(site: site) == before)
        }
    }

    @Test func restartOfASummarisedSiteLoadsItsBucketsNotItsResults() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let windows = SiteWindowCache()
            _ = try await Self.fill(live, site: site, agent: agent.id, count: SiteWindow.defaultExactLimit + 200, windows: windows)
            let summarised = try await live.database.query("SELECT summary_from FROM site_assessments WHERE site_id = \(site)")
            #expect(summarised.first?.isNull(column: "summary_from") == false)
            let buckets = try await live.database.query("SELECT count(*)::int8 AS n FROM site_window_buckets WHERE site_id = \(site)")
            #expect(try (buckets.first?.decode(Int.self, column: "n") ?? 0) > 0)
            // Neither bodies nor window entries are left: only the buckets can serve the upload.
            try await live.database.execute("UPDATE results SET body = '{}'::jsonb, window_entry = NULL WHERE site_id = \(site)")
            let before = SiteWindowLoader.bodiesRead.count(site: site)
            let written = try await Group.write(
                live, [try await Group.prepare(live, site: site, agent: agent.id, [ResultSamples.json()])], windows: SiteWindowCache())
            #expect(written.replies.allSatisfy { (try? $0.get())?.first?.status == .created })
            #expect(try await Group.runs(live, site: site) == SiteWindow.defaultExactLimit + 201)
            #expect(SiteWindowLoader.bodiesRead.count(site: site) == before)
            #expect(written.windows.first?.window.isSummarised == true)
        }
    }
}
