import JSON
import Foundation
import Postgres
import ReadinessApp
import ReadinessContract
import ReadinessScoring
import SystemCrypto

/// What a commit lane does for one site per group (`SiteAssessmentUpdater.refresh` on a cached
/// window, then the site's share of the group statement's arrays), for one new result into a
/// window of `windowRuns` runs: insert, assess with the compact JSON, its SHA-256 ETag, the
/// changes since the previous assessment, and the `SiteRefresh` columns bound as parameters.
/// The new results (and their evaluations, made by the request handler) are built before the
/// loop, so under `callgrind --toggle-collect='*WindowWork*refreshAll*'` only the lane's work counts.
///
/// Usage: `readiness-bench-domain window` (BENCH_WINDOW_REFRESHES=n, default 2000).
struct WindowWork {
    let ingest: IngestWork

    func run(refreshes: Int) throws {
        var window = SiteWindow(policy: ingest.policy, completeFrom: .distantPast)
        for index in 0..<ingest.windowRuns { window.insert(ingest.run(index)) }
        // What the handler hands the lane: each result with its evaluation's observations.
        let news = (ingest.windowRuns..<(ingest.windowRuns + refreshes)).map { index in
            let result = ingest.run(index)
            return (result, ingest.policy.evaluate(result, site: ingest.site).observations)
        }
        var previous = window.assess(site: ingest.site, now: ingest.now)
        // The process fetches SHA-256's EVP_MD once (~5M instructions); a server has long paid it.
        _ = Digest.sha256([])
        let clock = ContinuousClock()
        var bytes = 0
        let elapsed = try clock.measure { bytes = try refreshAll(news, window: &window, previous: &previous) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "site refresh, one new result into a window of %d runs: %.2f µs (%d refreshes, %d bytes bound)",
                     ingest.windowRuns, seconds * 1e6 / Double(max(refreshes, 1)), refreshes, bytes))
    }

    @inline(never)
    func refreshAll(_ news: [(ProbeResult, RunObservations?)], window: inout SiteWindow, previous: inout SiteAssessment?) throws -> Int {
        var bytes = 0
        for (result, observed) in news { bytes += try refresh(result, observed: observed, window: &window, previous: &previous) }
        return bytes
    }

    /// One site's refresh and its columns; the bytes bound.
    @inline(never)
    func refresh(_ result: ProbeResult, observed: RunObservations?, window: inout SiteWindow, previous: inout SiteAssessment?) throws -> Int {
        window.insert(result, observed: observed)
        guard let (assessment, json) = try window.assessCompact(site: ingest.site, now: result.finishedAt) else { throw WindowMissed() }
        let etag = StoredSiteAssessment.hex(Digest.sha256(json).prefix(10))
        let newest = assessment.newestResultAt.flatMap { RFC3339Timestamp.parse($0) }
        let changes = AssessmentChanges.between(previous, assessment)
        previous = assessment
        // As `SiteRefresh.AssessmentColumns` reserves them, for a group of one site.
        var siteID = PostgresArray<UUID>(reservingBytes: 20), policyName = PostgresArray<String>(reservingBytes: 36)
        var policyVersion = PostgresArray<Int32>(reservingBytes: 8), verdict = PostgresArray<String>(reservingBytes: 16)
        var score = PostgresArray<Int32>(reservingBytes: 8), codes = PostgresArray<PostgresText>(reservingBytes: 68)
        var newestAt = PostgresArray<Date>(reservingBytes: 12), stored = PostgresArray<PostgresText>(reservingBytes: json.count + 4)
        var etags = PostgresArray<String>(reservingBytes: 24), updatedAt = PostgresArray<Date>(reservingBytes: 12)
        var mos = PostgresArray<Double>(reservingBytes: 12), transport = PostgresArray<String>(reservingBytes: 24)
        siteID.append(result.runID)
        policyName.append(assessment.policy)
        policyVersion.append(Int32(clamping: assessment.policyVersion))
        verdict.append(assessment.verdict.rawValue)
        score.append(assessment.score.map { Int32(clamping: $0) })
        codes.appendTextArrayLiteral(assessment.problemCodes)
        newestAt.append(newest)
        stored.append(PostgresText(bytes: json))
        etags.append(etag)
        updatedAt.append(result.finishedAt)
        mos.append(assessment.mos?.value)
        transport.append(assessment.transport?.rawValue)
        var bindings = PostgresBindings()
        bindings.append(siteID); bindings.append(policyName); bindings.append(policyVersion); bindings.append(verdict)
        bindings.append(score); bindings.append(codes); bindings.append(newestAt); bindings.append(stored)
        bindings.append(etags); bindings.append(updatedAt); bindings.append(mos); bindings.append(transport)
        return bindings.count + json.count + changes.findings.count
    }

    struct WindowMissed: Error {}
}
