import JSON
import Foundation
import Postgres
import ReadinessContract
import ReadinessScoring
import ReadinessServiceTestSupport
import ReadinessTestSupport
import SystemCrypto
import Testing
@testable import ReadinessApp

/// Evaluations and site assessments are stored compact (migration 0008) and joined back with
/// their policy version's texts when read: every answer must mean what it meant when the full
/// documents were stored, for rows written before the migration and for rows written after.
@Suite struct CompactStorageTests {
    static let parameters = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)

    /// JSON compared by meaning (member order, spacing and number spelling aside); a member
    /// the answer lacks (`nil`) is never the same.
    static func same(_ a: JSONValue?, _ b: JSONValue) -> Bool {
        a?.membersSorted == b.membersSorted
    }

    static func json(_ bytes: [UInt8]) throws -> JSONValue { try JSONParser.parse(bytes) }

    static func decode(_ body: Data) throws -> ProbeResult {
        try ResultIngest.decode(Array(body), now: Date()).results[0]
    }

    @Test func resultsReadBackWithTheEvaluationComputedAtUpload() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let read = try await live.fixtures.token(.read)
            let policy = try BundledPolicy.sococo()
            let bodies = [ResultSamples.single(), ResultSamples.single(healthy: false),
                          ResultSamples.data(ResultSamples.json(lossPct: 4.5))]
            for body in bodies {
                #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: body).status == 201)
                let result = try Self.decode(body)
                let response = try await live.client.get("/v1/results/\(result.runID.uuidString.lowercased())", token: read)
                #expect(response.status == 200)
                let expected = try Self.json(try policy.evaluate(result, site: Self.parameters).jsonBytes())
                let answer = try response.jsonTree()
                #expect(Self.same(answer["assessment"], expected))
                #expect(Self.same(answer["result"], try Self.json(result.canonicalJSONBytes())))
            }
            // Stored compact: no citation or remediation text in the row, only the rules' judgements.
            let stored = try await live.database.query("SELECT evaluation, assessment IS NULL AS no_full FROM results")
            for row in stored {
                #expect(try row.decode(Bool.self, column: "no_full"))
                #expect(try !row.decode(String.self, column: "evaluation").contains("remediation"))
            }
        }
    }

    @Test func currentAssessmentIsTheStoredCompactOneJoinedWithItsPolicy() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let read = try await live.fixtures.token(.read)
            let policy = try BundledPolicy.sococo()
            for body in [ResultSamples.single(), ResultSamples.single(healthy: false)] {
                #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: body).status == 201)
            }
            let row = try #require(try await live.database.query(
                "SELECT assessment, etag, mos, transport FROM site_assessments WHERE site_id = \(site)").first)
            let stored = try row.decode(PostgresText.self, column: "assessment").bytes
            let assessment = try policy.storedSiteAssessment(stored)
            #expect(try CompactSiteAssessment(assessment).jsonBytes() == stored)
            let etag = try row.decode(String.self, column: "etag")
            let expected = try CurrentAssessment(site: site, stored: assessment, storedETag: etag).representation(at: Date())
            let response = try await SiteAssessmentTests.assessment(live, site, token: read)
            #expect(response.header("ETag") == expected.etag)
            #expect(Self.same(try response.jsonTree(), try Self.json(expected.body)))
            #expect(try row.decode(Double?.self, column: "mos") == assessment.mos?.value)
            #expect(try row.decode(String?.self, column: "transport") == assessment.transport?.rawValue)
        }
    }

    /// A database populated by the code before 0008 (full jsonb documents), migrated in place:
    /// old results and the old current assessment answer exactly as before, the fleet view
    /// shows the same MOS and transport, and ingest carries on from the old assessment.
    @Test func migrationOnAPopulatedDatabaseKeepsEveryAnswer() async throws {
        let folder = try Self.migrationsThrough(version: 7)
        defer { try? FileManager.default.removeItem(at: folder) }
        let policy = try BundledPolicy.sococo()
        let seeded = SeededRows()
        try await LiveService.with(prepare: { pool in
            _ = try await Migrator(directory: folder, logger: TestDatabase.logger).migrate(pool)
            try await seeded.seed(pool, policy: policy)
        }) { live in
            let read = try await live.fixtures.token(.read)
            let site = seeded.site
            for (result, evaluation) in zip(seeded.results, seeded.evaluations) {
                let response = try await live.client.get("/v1/results/\(result.runID.uuidString.lowercased())", token: read)
                #expect(response.status == 200)
                let answer = try response.jsonTree()
                #expect(Self.same(answer["assessment"], try Self.json(evaluation)))
                #expect(Self.same(answer["result"], try Self.json(result.canonicalJSONBytes())))
            }
            let expected = try CurrentAssessment(site: site, stored: try #require(seeded.assessment), storedETag: seeded.etag)
                .representation(at: Date())
            let current = try await SiteAssessmentTests.assessment(live, site, token: read)
            #expect(current.header("ETag") == expected.etag)
            #expect(Self.same(try current.jsonTree(), try Self.json(expected.body)))
            let fleet = try await live.client.get("/v1/assessments", token: read)
            let item = try #require(try fleet.pageItems(FleetAssessmentBody.self).first { $0.siteId == site.uuidString.lowercased() })
            // The old SQL read a transport and a MOS (else the comparisons below prove nothing).
            let oldTransport: String = try #require(seeded.fleetTransport)
            let oldMOS: Double = try #require(seeded.fleetMOS)
            #expect(item.transport == oldTransport)
            #expect(item.mos == oldMOS)

            // The writer reads the old full assessment as the previous one and writes a compact one.
            let next = ResultSamples.single()
            #expect(try await live.client.send("POST", "/v1/results", token: seeded.agentToken, body: next).status == 201)
            let after = try await SiteAssessmentTests.assessment(live, site, token: read)
            #expect(try after.decoded(SiteAssessmentBody.self).confidence.resultCount == seeded.results.count + 1)
            let nextResult = try Self.decode(next)
            let stored = try await live.client.get("/v1/results/\(nextResult.runID.uuidString.lowercased())", token: read)
            #expect(Self.same(try stored.jsonTree()["assessment"],
                              try Self.json(try policy.evaluate(nextResult, site: Self.parameters).jsonBytes())))
            let changes = try await live.client.get("/v1/sites/\(site.uuidString.lowercased())/changes", token: read)
            #expect(changes.status == 200)
        }
    }

    /// A copy of the migrations up to `version`: the schema the code before a later one ran on.
    static func migrationsThrough(version: Int) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: LiveService.migrationsDirectory.path)
        where name.hasSuffix(".sql") && (Int(name.prefix(4)) ?? .max) <= version {
            try FileManager.default.copyItem(
                at: LiveService.migrationsDirectory.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// Rows as the ingest before 0008 wrote them, and what the old read paths answered.
    final class SeededRows: @unchecked Sendable {  // written once by `seed` before the service starts
        var site = UUID()
        var agentToken = ""
        var results: [ProbeResult] = []
        var evaluations: [[UInt8]] = []
        var assessment: SiteAssessment?
        var etag = ""
        var fleetMOS: Double?
        var fleetTransport: String?

        func seed(_ pool: PostgresPool, policy: Policy) async throws {
            let fixtures = Fixtures(database: pool)
            site = try await fixtures.site()
            let agent = try await fixtures.agent(site: site)
            agentToken = agent.token
            let now = Date()
            for (index, body) in [ResultSamples.json(), ResultSamples.json(healthy: false), ResultSamples.json(lossPct: 2)].enumerated() {
                var body = body
                body["started_at"] = RFC3339Timestamp.format(now.addingTimeInterval(Double(-600 + index * 60)))
                body["finished_at"] = RFC3339Timestamp.format(now.addingTimeInterval(Double(-540 + index * 60)))
                let result = try CompactStorageTests.decode(ResultSamples.data(body))
                let evaluation = try policy.evaluate(result, site: CompactStorageTests.parameters).jsonBytes()
                let canonical = result.canonicalJSONBytes()
                let figures = ResultFigures(result)
                let scored = policy.evaluate(result, site: CompactStorageTests.parameters)
                _ = try await pool.query("SELECT ensure_results_partition(\(result.startedAt))")
                try await pool.execute("""
                    INSERT INTO result_runs (run_id, site_id, agent_id, content_hash, started_at, received_at)
                    VALUES (\(result.runID), \(site), \(agent.id), \(Data(Digest.sha256(canonical))), \(result.startedAt), \(now))
                    """)
                try await pool.execute("""
                    INSERT INTO results (run_id, site_id, agent_id, started_at, finished_at, received_at, body,
                        policy_name, policy_version, verdict, score, mos, transport,
                        rtt_ms, jitter_ms, loss_pct, down_kbps, up_kbps, assessment)
                    VALUES (\(result.runID), \(site), \(agent.id), \(result.startedAt), \(result.finishedAt), \(now),
                        \(PostgresJSONB(bytes: canonical)), \(policy.name), \(policy.version), \(scored.verdict.rawValue),
                        \(scored.score), \(scored.mos), \(scored.transport?.rawValue), \(figures.rttMs), \(figures.jitterMs),
                        \(figures.lossPct), \(result.bandwidth?.downKbps), \(result.bandwidth?.upKbps), \(PostgresJSONB(bytes: evaluation)))
                    """)
                results.append(result)
                evaluations.append(evaluation)
            }
            let assessment = policy.assess(results, site: CompactStorageTests.parameters, now: now)
            let full = try assessment.jsonBytes()
            etag = StoredSiteAssessment.hex(Digest.sha256(full).prefix(10))
            let codes = assessment.findings.filter { $0.status == .warn || $0.status == .fail }.map(\.code)
            try await pool.execute("""
                INSERT INTO site_assessments (site_id, policy_name, policy_version, verdict, score, finding_codes,
                    newest_result_at, assessment, etag, updated_at)
                VALUES (\(site), \(policy.name), \(policy.version), \(assessment.verdict.rawValue), \(assessment.score),
                    \(codes), \(assessment.newestResultAt.flatMap { RFC3339Timestamp.parse($0) }), \(PostgresJSONB(bytes: full)),
                    \(etag), \(now))
                """)
            // What the fleet listing's SQL before 0008 read out of the document.
            let old = try await pool.query("""
                SELECT assessment->>'transport' AS transport,
                    CASE jsonb_typeof(assessment->'mos') WHEN 'number' THEN (assessment->>'mos')::float8
                        WHEN 'object' THEN (assessment->'mos'->>'value')::float8 END AS mos
                FROM site_assessments WHERE site_id = \(site)
                """)[0]
            fleetTransport = try old.decode(String?.self, column: "transport")
            fleetMOS = try old.decode(Double?.self, column: "mos")
            self.assessment = assessment
        }
    }
}
