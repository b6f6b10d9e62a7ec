import JSON
import Foundation
import Postgres
import ReadinessContract
import ReadinessScoring
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Stored results, assessments and changes for the read-side tests, written with SQL so they
/// do not depend on the ingest path. Stored verdicts and scores come from the real policy.
struct ReadFixtures {
    let database: PostgresPool

    /// A result that meets every optimal rule of the default policy.
    static func goodJSON(runID: UUID = UUID(), at: Date) -> String {
        resultJSON(runID: runID, at: at, rtt: 21.0, loss: 0.0)
    }

    /// The same network with 500 ms round trips: a minimal rule fails, so not_ready.
    static func badJSON(runID: UUID = UUID(), at: Date) -> String {
        resultJSON(runID: runID, at: at, rtt: 500.0, loss: 0.0)
    }

    static func resultJSON(runID: UUID, at: Date, rtt: Double, loss: Double) -> String {
        let start = RFC3339Timestamp.format(at)
        let end = RFC3339Timestamp.format(at.addingTimeInterval(90))
        return """
            {"schema":"probe-result/v1","run_id":"\(runID.uuidString.lowercased())",
             "agent":{"version":"1.0.0","os":"linux","hostname":"lobby-pc-3"},
             "started_at":"\(start)","finished_at":"\(end)",
             "network":{"interface":"wired","proxy":{"present":false,"kind":"none","in_media_path":false},
                        "vpn":{"present":false,"tunnel":"none","media_excluded":true}},
             "reachability":[
               {"protocol":"tcp","host":"example.org","port":443,"reachable":true,"connect_ms":20},
               {"protocol":"udp","host":"reflector.example.net","port":443,"reachable":true,"connect_ms":19},
               {"protocol":"tcp","host":"app.sococo.com","port":443,"reachable":true,"connect_ms":21},
               {"protocol":"tcp","host":"media.chime.aws","port":443,"reachable":true,"connect_ms":21},
               {"protocol":"udp","host":"media.chime.aws","port":3478,"reachable":true,"connect_ms":20}],
             "gateway":[{"kind":"websocket","host":"app.sococo.com","allowed":true,"via_proxy":false,"status":101},
                        {"kind":"webrtc","host":"media.chime.aws","allowed":true,"via_proxy":false}],
             "tls_inspection":[{"host":"app.sococo.com","intercepted":false,"issuer":"Amazon RSA 2048 M02"}],
             "udp_timeout":{"lower_bound_s":3600,"upper_bound_s":null,"probe_max_s":3600},
             "latency":[{"host":"media.chime.aws","protocol":"udp","samples":50,
                         "rtt_ms":{"min":\(rtt - 2),"p50":\(rtt),"p95":\(rtt + 10),"max":\(rtt + 20)},"jitter_ms":2.4,"loss_pct":\(loss)}],
             "bandwidth":{"down_kbps":94000,"up_kbps":38000}}
            """
    }

    static func result(_ json: String) throws -> ProbeResult {
        let decoded = ProbeResultDecoder.decode(Array(json.utf8), now: Date().addingTimeInterval(365 * 86_400 * 10))
        return try decoded.get().results[0]
    }

    /// One stored result, scored by `policy` with the site's default parameters.
    func insert(_ json: String, site: UUID, policy: Policy) async throws {
        let statements = try Self.insertStatements(json, site: site, policy: policy)
        _ = try await database.query(statements.partition)
        try await database.execute(statements.insert)
    }

    /// What `insert` runs, for a test that runs it inside a transaction of its own: the
    /// result's monthly partition made sure of, then the row.
    static func insertStatements(_ json: String, site: UUID, policy: Policy) throws -> (partition: PostgresQuery, insert: PostgresQuery) {
        let result = try Self.result(json)
        let evaluation = policy.evaluate(result, site: SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600))
        let figures = Figures(result)
        return (
            PostgresQuery("SELECT ensure_results_partition(\(result.startedAt))"),
            PostgresQuery(
                """
                INSERT INTO results (run_id, site_id, started_at, finished_at, received_at, body, policy_name, policy_version,
                    verdict, score, mos, transport, rtt_ms, jitter_ms, loss_pct, down_kbps, up_kbps, assessment)
                VALUES (\(result.runID), \(site), \(result.startedAt), \(result.finishedAt), \(result.finishedAt),
                    \(PostgresJSONB(string: json)), \(policy.name), \(policy.version), \(evaluation.verdict.rawValue),
                    \(evaluation.score), \(evaluation.mos), \(evaluation.transport?.rawValue), \(figures.rttMs), \(figures.jitterMs),
                    \(figures.lossPct), \(result.bandwidth?.downKbps), \(result.bandwidth?.upKbps), \(try PostgresJSONB(encoding: evaluation)))
                """)
        )
    }

    /// `count` results 5 minutes apart from `start`, in one INSERT … SELECT. Each day whose
    /// index is a multiple of 7 has a not_ready first hour (12 results); the rest are optimal.
    /// Stored columns are copied from the real evaluation of the two templates.
    func insertSeries(site: UUID, start: Date, count: Int, policy: Policy) async throws {
        let params = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)
        let good = try Self.result(Self.goodJSON(at: start)), bad = try Self.result(Self.badJSON(at: start))
        let g = policy.evaluate(good, site: params), b = policy.evaluate(bad, site: params)
        let gf = Figures(good), bf = Figures(bad)
        let end = start.addingTimeInterval(Double(count) * 300)
        _ = try await database.query(
            "SELECT ensure_results_partition(m) FROM generate_series(\(start)::timestamptz, \(end)::timestamptz + interval '1 month', interval '1 month') AS m")
        try await database.execute(
            """
            INSERT INTO results (run_id, site_id, started_at, finished_at, received_at, body, policy_name, policy_version,
                verdict, score, mos, transport, rtt_ms, jitter_ms, loss_pct, down_kbps, up_kbps, assessment)
            SELECT id, \(site), at, at + interval '90 seconds', at + interval '90 seconds',
                   jsonb_set(jsonb_set(jsonb_set(CASE WHEN bad THEN \(PostgresJSONB(string: Self.badJSON(at: start)))::jsonb
                                                      ELSE \(PostgresJSONB(string: Self.goodJSON(at: start)))::jsonb END,
                       '{run_id}', to_jsonb(id::text)),
                       '{started_at}', to_jsonb(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))),
                       '{finished_at}', to_jsonb(to_char((at + interval '90 seconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))),
                   \(policy.name), \(policy.version),
                   CASE WHEN bad THEN \(b.verdict.rawValue) ELSE \(g.verdict.rawValue) END,
                   CASE WHEN bad THEN \(b.score)::int ELSE \(g.score)::int END,
                   CASE WHEN bad THEN \(b.mos)::float8 ELSE \(g.mos)::float8 END,
                   CASE WHEN bad THEN \(b.transport?.rawValue) ELSE \(g.transport?.rawValue) END,
                   CASE WHEN bad THEN \(bf.rttMs)::float8 ELSE \(gf.rttMs)::float8 END,
                   2.4, 0.0, 94000, 38000, '{}'::jsonb
            FROM (SELECT gen_random_uuid() AS id, \(start)::timestamptz + i * interval '5 minutes' AS at,
                         (i / 288) % 7 = 0 AND i % 288 < 12 AS bad
                  FROM generate_series(0, \(count - 1)) AS i) AS series
            """)
    }

    /// A current assessment row for `site`, made under version `policyVersion` of `sococo`.
    func assessment(site: UUID, verdict: String, score: Int?, codes: [String] = [], newest: Date?, mos: Double? = 4.3,
                    policyVersion: Int = 1) async throws {
        let document = "{\"mos\": \(mos.map { "{\"value\": \($0)}" } ?? "null"), \"transport\": \"udp_media_direct\"}"
        try await database.execute(
            """
            INSERT INTO site_assessments (site_id, policy_name, policy_version, verdict, score, finding_codes, newest_result_at,
                assessment, etag, updated_at, mos, transport)
            VALUES (\(site), 'sococo', \(policyVersion), \(verdict), \(score), \(codes), \(newest), \(document), 'e', now(), \(mos),
                    'udp_media_direct')
            """)
    }

    func change(site: UUID, at: Date, kind: String, code: String, from: String? = nil, to: String? = nil) async throws {
        let isVerdict = kind == "verdict_changed"
        try await database.execute(
            """
            INSERT INTO site_changes (site_id, at, run_id, kind, code, rule_id, from_verdict, to_verdict, from_status, to_status)
            VALUES (\(site), \(at), \(UUID()), \(kind), \(code), \(isVerdict ? nil : "rule"),
                    \(isVerdict ? from : nil), \(isVerdict ? to : nil), \(isVerdict ? nil : from), \(isVerdict ? nil : to))
            """)
    }

    func count(_ table: String) async throws -> Int {
        let rows = try await database.query("SELECT count(*)::int AS n FROM \(unsafeRaw: table)")
        return try rows[0].decode(Int.self, column: "n")
    }
}

/// The per-result medians the ingest stores beside the body (one latency probe here: its own).
private struct Figures {
    var rttMs: Double?
    var jitterMs: Double?
    var lossPct: Double?

    init(_ result: ProbeResult) {
        rttMs = result.latency?.first?.rttMs?.p50
        jitterMs = result.latency?.first?.jitterMs
        lossPct = result.latency?.first?.lossPct
    }
}

extension LiveService {
    var reads: ReadFixtures { ReadFixtures(database: database) }

    /// A read token, and a site with `days` whole days of 5-minute results from `start`
    /// (`insertSeries`, under the default policy).
    func siteWithSeries(from start: String, days: Int) async throws -> (token: String, site: UUID, policy: Policy, start: Date) {
        let token = try await fixtures.token(.read)
        let site = try await fixtures.site()
        let policy = try BundledPolicy.sococo()
        let first = try #require(RFC3339Timestamp.parse(start))
        try await reads.insertSeries(site: site, start: first, count: days * 288, policy: policy)
        return (token, site, policy, first)
    }
}
