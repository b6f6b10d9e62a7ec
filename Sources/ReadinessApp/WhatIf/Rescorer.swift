import Foundation
import HTTPServer
import Postgres
import ReadinessContract
import ReadinessScoring

/// Re-scores a site's stored results under another policy version, in memory. Measurements
/// do not depend on the policy, so the stored metric columns are reused; only verdict and
/// score are recomputed from each stored body. Nothing is written.
struct Rescorer: Sendable {
    /// Each result is decoded and evaluated, so the range is bounded (30 days of 5-minute
    /// results is 8,640); a longer one is a 422 asking for a shorter range.
    static let maximumResults = 20_000
    /// Upper bound on the results behind the would-be current assessment.
    static let maximumWindowResults = 5_000

    let database: PostgresPool
    let policy: Policy
    let site: SiteRecord

    func points(range: TimeRange, bucket: HistoryBucket) async throws -> [HistoryPoint] {
        let rows = try await database.query(
            """
            SELECT started_at, rtt_ms, jitter_ms, loss_pct, down_kbps, up_kbps, body FROM results
            WHERE site_id = \(site.id) AND started_at >= \(range.from) AND started_at < \(range.to)
            ORDER BY started_at, run_id LIMIT \(Self.maximumResults + 1)
            """, idempotent: true)
        guard rows.count <= Self.maximumResults else {
            throw RequestBody.validationProblem([
                ("/query/from", "the range holds more than \(Self.maximumResults) results; re-score a shorter range")
            ])
        }
        let parameters = site.parameters
        let raw = try rows.map { row in
            let evaluation = policy.evaluate(try Self.result(row), site: parameters)
            return HistoryPoint(
                at: try row.decode(Date.self, column: "started_at"), verdict: evaluation.verdict.rawValue,
                score: evaluation.score, rttMsP50: try row.decode(Double?.self, column: "rtt_ms"),
                jitterMsP50: try row.decode(Double?.self, column: "jitter_ms"),
                lossPctP50: try row.decode(Double?.self, column: "loss_pct"),
                downKbps: try row.decode(Double?.self, column: "down_kbps"),
                upKbps: try row.decode(Double?.self, column: "up_kbps"), resultCount: 1)
        }
        return HistoryBucketing.points(raw, bucket: bucket)
    }

    /// The assessment the site would have now: its newest freshness window of results (the
    /// domain's `assess` decides whether that window is fresh or the site is stale).
    func assessment(now: Date) async throws -> SiteAssessment {
        let rows = try await database.query(
            """
            WITH newest AS (SELECT max(started_at) AS at FROM results WHERE site_id = \(site.id) AND started_at <= \(now))
            SELECT body FROM results, newest
            WHERE site_id = \(site.id) AND started_at <= \(now)
              AND started_at >= newest.at - make_interval(secs => \(policy.freshnessWindow + 3600))
            ORDER BY started_at DESC LIMIT \(Self.maximumWindowResults)
            """, idempotent: true)
        let results = try rows.map(Self.result)
        return policy.assess(results, site: site.parameters, now: now)
    }

    private static func result(_ row: PostgresRow) throws -> ProbeResult {
        let body = try row.decode(PostgresJSON.self, column: "body")
        return try APIJSON.decoder.decode(ProbeResult.self, from: Data(body.bytes))
    }
}
