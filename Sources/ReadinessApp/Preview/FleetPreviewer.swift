import Foundation
import Postgres
import ReadinessContract
import ReadinessScoring

/// Scores every site of a policy (or the filtered set) under its current version and under a
/// candidate, a batch of sites at a time in id order, and keeps only the tally and the page of
/// changed sites asked for: at most one batch's runs are held at once. Reads only; writes nothing.
///
/// A batch's runs come from their stored `window_entry` (one statement for the batch); a run
/// without a usable entry (stored under another version, or before migration 0014), and every
/// run when the candidate observes something no current rule does, is decoded from its body.
struct FleetPreviewer: Sendable {
    /// Sites per statement when the stored observations serve (a few hundred runs each): the
    /// rows of two batches are held at once, one scored while the next is read.
    static let sitesPerBatch = 200
    /// Sites per statement when bodies are read: a day of 5-minute bodies is some 600 kB a site.
    static let sitesPerBodyBatch = 16

    let database: PostgresPool
    let policies: PolicyCatalog
    let name: String
    let candidate: Policy
    let now: Date

    struct Outcome: Sendable {
        var tally = PreviewTally()
        /// Changed sites after the cursor, in id order: the page and one more (it says there is more).
        var changed: [PreviewedSite] = []
        var rulesReadFromBodies: Set<String> = []
        var resultsReadFromBodies = 0
    }

    private struct Site: Sendable {
        let id: UUID
        let name: String
        let region: String?
        let parameters: SiteParameters
        let preview: PolicyPreview
    }

    func run(filter: PreviewFilter, after: UUID?, limit: Int) async throws -> Outcome {
        var outcome = Outcome()
        var previews: [Int: PolicyPreview] = [:]
        var pending = try await nextBatch(filter: filter, after: nil, previews: &previews)
        // The next batch's runs are read while this one is scored: PostgreSQL and the scoring
        // each keep a core busy.
        var reading = pending.map { read($0.sites) }
        while let current = pending, let rows = reading {
            let runs = try await rows.value
            pending = current.full ? try await nextBatch(filter: filter, after: current.lastID, previews: &previews) : nil
            reading = pending.map { read($0.sites) }
            for (site, preview) in try await score(current.sites, rows: runs, outcome: &outcome) {
                outcome.tally.add(preview)
                if preview.verdictChanged, after.map({ site.id > $0 }) ?? true, outcome.changed.count <= limit {
                    outcome.changed.append(PreviewedSite(siteID: site.id, name: site.name, region: site.region, preview: preview))
                }
            }
        }
        for preview in previews.values { outcome.rulesReadFromBodies.formUnion(preview.rulesReadFromBodies) }
        return outcome
    }

    /// A batch of sites in id order and what the walk needs to go on: the last id read, and
    /// whether the batch was full (more may follow).
    private struct Batch {
        var sites: [Site]
        var lastID: UUID?
        var full: Bool
    }

    /// The next batch with a site to preview (one whose every site is left out is passed
    /// over); nil past the last site.
    private func nextBatch(filter: PreviewFilter, after: UUID?, previews: inout [Int: PolicyPreview]) async throws -> Batch? {
        var after = after
        while true {
            let next = try await batch(filter: filter, after: after, previews: &previews)
            if !next.sites.isEmpty { return next }
            guard next.full else { return nil }
            after = next.lastID
        }
    }

    /// The next sites of the policy in id order, each with the preview of its current version.
    private func batch(
        filter: PreviewFilter, after: UUID?, previews: inout [Int: PolicyPreview]
    ) async throws -> Batch {
        var query = FilteredQuery(
            """
            SELECT id, name, region, expected_users, longest_call_s, policy_version FROM sites
            WHERE policy_name = \(name) AND archived_at IS NULL
            """)
        query.and(after) { "id > \($0)::uuid" }
        query.and(filter.region) { "region = \($0)::text" }
        query.and(filter.tag) { "tags @> ARRAY[\($0)::text]" }
        query.and(filter.siteIDs.map { PostgresArray($0) }) { "id = ANY(\($0)::uuid[])" }
        query.append(" ORDER BY id LIMIT ", Self.sitesPerBatch)
        let rows = try await database.query(query.statement, idempotent: true)
        var sites: [Site] = []
        sites.reserveCapacity(rows.count)
        for row in rows {
            // A site pinned to a version that is not stored is assessed by nothing now; it is left out.
            guard let preview = try await preview(pinned: try row.decode(Int?.self, column: "policy_version"), previews: &previews)
            else { continue }
            sites.append(Site(
                id: try row.decode(UUID.self, column: "id"), name: try row.decode(String.self, column: "name"),
                region: try row.decode(String?.self, column: "region"),
                parameters: SiteParameters(expectedConcurrentUsers: try row.decode(Int.self, column: "expected_users"),
                                           longestCallS: Double(try row.decode(Int.self, column: "longest_call_s"))),
                preview: preview))
        }
        let lastID = try rows.last.map { try $0.decode(UUID.self, column: "id") }
        return Batch(sites: sites, lastID: lastID, full: rows.count == Self.sitesPerBatch)
    }

    private func preview(pinned: Int?, previews: inout [Int: PolicyPreview]) async throws -> PolicyPreview? {
        guard let current = try await policies.policy(name: name, version: pinned) else { return nil }
        if let known = previews[current.version] { return known }
        let preview = PolicyPreview(current: current, candidate: candidate)
        previews[current.version] = preview
        return preview
    }

    /// The batch's runs in one statement: per site (an index scan each), every run from the
    /// window's start (or, for a stale site, a window before its newest run) on, with its
    /// entry when the entry is the site's current version's.
    private func read(_ sites: [Site]) -> Task<PostgresRows, any Error> {
        let window = sites.reduce(candidate.freshnessWindow) { max($0, $1.preview.current.freshnessWindow) }
        let ids = PostgresArray(sites.map(\.id)), versions = PostgresArray(sites.map(\.preview.current.version))
        return Task { [database, name, now] in
            try await database.query(
                """
                SELECT s.n, r.run_id, r.finished_at, r.window_entry
                FROM unnest(\(ids)::uuid[], \(versions)::bigint[]) WITH ORDINALITY AS s(id, version, n)
                CROSS JOIN LATERAL (SELECT max(finished_at) AS at FROM results WHERE site_id = s.id) AS newest
                CROSS JOIN LATERAL (
                    SELECT run_id, finished_at,
                           CASE WHEN policy_name = \(name) AND policy_version = s.version THEN window_entry END AS window_entry
                    FROM results
                    WHERE site_id = s.id AND finished_at >= least(newest.at, \(now)::timestamptz) - make_interval(secs => \(window))
                ) AS r
                """, idempotent: true)
        }
    }

    /// Each site's preview from its runs: their entries, then the bodies of the runs the
    /// entries could not serve. Parsing and judging run in two halves of the batch at once:
    /// sites are independent, and the scoring, not PostgreSQL, is what a preview waits on.
    private func score(_ sites: [Site], rows: PostgresRows, outcome: inout Outcome) async throws -> [(Site, SitePreview)] {
        let middle = sites.count / 2
        async let low = Self.parse(rows, sites: sites, positions: 0..<middle)
        async let high = Self.parse(rows, sites: sites, positions: middle..<sites.count)
        var (runs, withoutEntry) = try await low
        let (moreRuns, moreWithoutEntry) = try await high
        runs.merge(moreRuns) { $0 + $1 }
        withoutEntry.merge(moreWithoutEntry) { $0 + $1 }
        if !withoutEntry.isEmpty {
            let bySite = Dictionary(uniqueKeysWithValues: sites.map { ($0.id, $0) })
            outcome.resultsReadFromBodies += try await readBodies(withoutEntry, sites: bySite, into: &runs)
        }
        let judged = runs
        async let first = Self.judge(sites[..<middle], runs: judged, now: now)
        async let second = Self.judge(sites[middle...], runs: judged, now: now)
        return await first + second
    }

    /// The runs of the batch's sites at `positions`, from their entries; and the runs whose
    /// entry could not serve (no entry, another version's, or a candidate that needs bodies).
    private static func parse(
        _ rows: PostgresRows, sites: [Site], positions: Range<Int>
    ) throws -> ([UUID: [PreviewRun]], [UUID: [(UUID, Date)]]) {
        var runs: [UUID: [PreviewRun]] = [:]
        var withoutEntry: [UUID: [(UUID, Date)]] = [:]
        for row in rows {
            // The site by its place in the batch (`WITH ORDINALITY`, from 1): no id to parse a row.
            let position = try row.decode(Int.self, at: 0) - 1
            guard positions.contains(position) else { continue }
            let site = sites[position]
            let runID = try row.decode(UUID.self, at: 1)
            let finishedAt = try row.decode(Date.self, at: 2)
            // The text column's bytes as stored: the entry is parsed without making a string of it.
            if let entry = try row.decode(PostgresJSONB?.self, at: 3),
               let run = site.preview.run(entryUTF8: entry.bytes, runID: runID, finishedAt: finishedAt) {
                runs[site.id, default: []].append(run)
            } else {
                withoutEntry[site.id, default: []].append((runID, finishedAt))
            }
        }
        return (runs, withoutEntry)
    }

    private static func judge(_ sites: ArraySlice<Site>, runs: [UUID: [PreviewRun]], now: Date) -> [(Site, SitePreview)] {
        sites.map { site in (site, site.preview.site(runs[site.id] ?? [], site: site.parameters, now: now)) }
    }

    /// Observes the runs the entries could not serve from their bodies, a few sites per statement.
    private func readBodies(
        _ wanted: [UUID: [(UUID, Date)]], sites: [UUID: Site], into runs: inout [UUID: [PreviewRun]]
    ) async throws -> Int {
        var read = 0
        let siteIDs = wanted.keys.sorted()
        for start in stride(from: 0, to: siteIDs.count, by: Self.sitesPerBodyBatch) {
            let chunk = Array(siteIDs[start..<min(start + Self.sitesPerBodyBatch, siteIDs.count)])
            let runIDs = chunk.flatMap { wanted[$0] ?? [] }
            let oldest = runIDs.map(\.1).min() ?? now
            let rows = try await database.query(
                """
                SELECT site_id, run_id, finished_at, body FROM results
                WHERE site_id = ANY(\(PostgresArray(chunk))::uuid[]) AND finished_at >= \(oldest)
                  AND run_id = ANY(\(PostgresArray(runIDs.map(\.0)))::uuid[])
                """, idempotent: true)
            for row in rows {
                let siteID = try row.decode(UUID.self, at: 0)
                guard let site = sites[siteID] else { continue }
                let body = try row.decode(PostgresJSON.self, at: 3)
                let result = try APIJSON.decoder.decode(ProbeResult.self, from: Data(body.bytes))
                runs[siteID, default: []].append(site.preview.run(result, finishedAt: try row.decode(Date.self, at: 2)))
                read += 1
            }
        }
        return read
    }
}
