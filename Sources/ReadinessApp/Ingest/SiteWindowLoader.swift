import Foundation
import Postgres
import ReadinessContract
import ReadinessScoring

/// A site's window read back from storage without its results' bodies: its stored buckets
/// (`site_window_buckets`) when the site's assessment says they are its window, else every
/// result's `window_entry`; only a result stored without an entry (before migration 0014, or
/// under another policy version) is read from its body.
enum SiteWindowLoader {
    /// Bodies decoded by this process to rebuild windows; tests hold restarts to zero.
    static let bodiesRead = Counter()
    /// Windows read back from storage (a remembered window could not serve); for tests.
    static let windowsLoaded = Counter()

    /// Per site, so tests running side by side do not see each other's counts.
    final class Counter: @unchecked Sendable {  // behind `lock`
        private let lock = NSLock()
        private var values: [UUID: Int] = [:]
        func add(_ count: Int, site: UUID) { lock.withLock { values[site, default: 0] += count } }
        func count(site: UUID) -> Int { lock.withLock { values[site] ?? 0 } }
    }

    static func window(
        site: UUID, policy: Policy, from lowerBound: Date, besides known: Set<UUID>, on tx: PostgresConnection
    ) throws -> SiteWindow {
        windowsLoaded.add(1, site: site)
        if let window = try bucketWindow(site: site, policy: policy, from: lowerBound, on: tx) { return window }
        var window = SiteWindow(policy: policy, completeFrom: lowerBound)
        let rows = try tx.query(
            PostgresQuery("""
            SELECT run_id, finished_at, window_entry, policy_name, policy_version FROM results
            WHERE site_id = \(site) AND finished_at >= \(lowerBound)
            """).prepared(as: "window_entries"))
        var withoutEntry: [UUID] = []
        for row in rows {
            let runID = try row.decode(UUID.self, column: "run_id")
            guard !known.contains(runID) else { continue }
            if let entry = try row.decode(String?.self, column: "window_entry"),
               try row.decode(String.self, column: "policy_name") == policy.name,
               try row.decode(Int.self, column: "policy_version") == policy.version,
               window.insert(entry: entry, runID: runID, finishedAt: try row.decode(Date.self, column: "finished_at")) {
                continue
            }
            withoutEntry.append(runID)
        }
        guard !withoutEntry.isEmpty else { return window }
        let bodies = try tx.query(
            PostgresQuery("""
            SELECT body FROM results
            WHERE site_id = \(site) AND finished_at >= \(lowerBound) AND run_id = ANY(\(PostgresArray(withoutEntry)))
            """).prepared(as: "window_bodies_without_entry"))
        bodiesRead.add(bodies.count, site: site)
        for row in bodies {
            let body = try row.decode(PostgresJSON.self, column: "body")
            window.insert(try APIJSON.decoder.decode(ProbeResult.self, from: Data(body.bytes)))
        }
        return window
    }

    /// The stored buckets, when they are the site's window under `policy` from `lowerBound` on.
    private static func bucketWindow(site: UUID, policy: Policy, from lowerBound: Date, on tx: PostgresConnection) throws -> SiteWindow? {
        let marks = try tx.query(
            PostgresQuery("""
            SELECT summary_from FROM site_assessments
            WHERE site_id = \(site) AND policy_name = \(policy.name) AND policy_version = \(policy.version)
              AND summary_from IS NOT NULL
            """).prepared(as: "window_summary_from"))
        guard let mark = marks.first, let from = try mark.decode(Date?.self, column: "summary_from"), from <= lowerBound else { return nil }
        let rows = try tx.query(
            PostgresQuery("""
            SELECT summary FROM site_window_buckets
            WHERE site_id = \(site) AND policy_name = \(policy.name) AND policy_version = \(policy.version)
            """).prepared(as: "window_buckets"))
        let decoder = JSONDecoder()
        var buckets: [WindowBucket] = []
        buckets.reserveCapacity(rows.count)
        for row in rows {
            let text = try row.decode(String.self, column: "summary")
            guard let bucket = try? decoder.decode(WindowBucket.self, from: Data(text.utf8)) else { return nil }
            buckets.append(bucket)
        }
        return SiteWindow(policy: policy, completeFrom: from, buckets: buckets)
    }
}
