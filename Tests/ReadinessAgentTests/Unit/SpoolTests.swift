import HTTPClient
import Foundation
import ReadinessContract
import Testing
@testable import ReadinessAgent

@Suite struct SpoolTests {
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("agent-spool-\(UUID().uuidString)")
    }

    static func result(_ id: UUID = UUID()) -> ProbeResult {
        ProbeResult(
            runID: id, agent: .init(version: "t", os: "linux"), startedAt: Date(timeIntervalSince1970: 1_790_000_000),
            finishedAt: Date(timeIntervalSince1970: 1_790_000_060), network: .init(interface: .wired, proxy: .none, vpn: .none),
            reachability: [.init(.tcp, "h", 443, reachable: true, connectMs: 1.5)])
    }

    @Test func storedResultsComeBackOldestFirstAsCanonicalJSON() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spool = ResultSpool(directory: directory.appendingPathComponent("nested/spool"))
        let first = Self.result(), second = Self.result()
        try spool.store(first)
        Thread.sleep(forTimeInterval: 0.02)
        try spool.store(second)
        // Anything else in the directory is not ours and is ignored.
        _ = FileManager.default.createFile(atPath: spool.directory.appendingPathComponent("notes.json").path, contents: Data("{}".utf8))
        let pending = spool.pending()
        #expect(pending.map(\.runID) == [first.runID, second.runID])
        #expect(pending.first?.body == first.canonicalJSON())
        #expect(try ProbeResultDecoder.decode(pending[0].body, now: Date()).get().results == [first])
        spool.remove(pending[0])
        #expect(spool.pending().map(\.runID) == [second.runID])
    }

    @Test func spoolFilesAreOwnerOnly() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spool = ResultSpool(directory: directory)
        let file = try spool.store(Self.result())
        let fileMode = try #require(FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int)
        let directoryMode = try #require(FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? Int)
        #expect(fileMode & 0o777 == 0o600)
        #expect(directoryMode & 0o777 == 0o700)
        #expect(file.lastPathComponent.hasSuffix(".json"))
    }

    @Test func planCacheAnswersOnlyForTheSameServer() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spool = ResultSpool(directory: directory)
        try spool.ensureDirectory()
        let cache = PlanCache(spool: spool)
        let plan = PlanTests.plan()
        let server = try #require(ServerURL("http://127.0.0.1:8080"))
        cache.store(plan, server: server)
        #expect(cache.load(server: server) == plan)
        #expect(cache.load(server: try #require(ServerURL("http://127.0.0.1:9090"))) == nil)
        #expect(spool.pending().isEmpty)
    }

    /// The agent does not use the plan's untargeted rules, so the cache file holds only what it runs.
    @Test func planCacheLeavesOutTheUntargetedRules() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spool = ResultSpool(directory: directory)
        try spool.ensureDirectory()
        let cache = PlanCache(spool: spool)
        var plan = PlanTests.plan()
        plan.untargetedRules = [.init(rule: "udp-443", code: "UDP443", reason: "no target")]
        let server = try #require(ServerURL("http://127.0.0.1:8080"))
        cache.store(plan, server: server)
        let file = try String(contentsOf: cache.file, encoding: .utf8)
        #expect(!file.contains("untargeted_rules"))
        #expect(cache.load(server: server) == PlanTests.plan())
    }
}
