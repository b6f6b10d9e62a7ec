import Foundation
import Postgres
import ReadinessContract
import ReadinessScoring

/// Scores every site of a policy (or the filtered set) under its current version and under a
/// candidate, a batch of sites at a time in id order, and keeps only the tally and the page of
/// changed sites asked for: at most a few batches' runs are held at once. Reads only; writes nothing.
///
/// A batch's runs come from their stored `window_entry` (one statement for the batch, a row a
/// site with its runs as arrays, in binary form); a run without a usable entry (stored under another version, or before
/// migration 0014), and every run when the candidate observes something no current rule does,
/// is decoded from its body. Each site's runs are gathered into reused columns as its rows
/// are walked (`PreviewSiteRuns`), judged, and forgotten before the next site's.
struct FleetPreviewer: Sendable {
    /// Sites per statement when the stored observations serve (a few hundred runs each).
    static let sitesPerBatch = 200
    /// Sites per statement when bodies are read: a day of 5-minute bodies is some 600 kB a site.
    static let sitesPerBodyBatch = 16
    /// Batches in flight: on two cores, PostgreSQL reads one or two while another is scored
    /// (each side alone leaves a core idle; `make bench-preview`).
    static let batchesAtOnce = 3

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

    /// One batch's share of the outcome: its sites' tally, its changed sites after the cursor
    /// in id order (at most a page and one), and the runs it read from bodies.
    private struct BatchOutcome: Sendable {
        var tally = PreviewTally()
        var changed: [PreviewedSite] = []
        var resultsReadFromBodies = 0
    }

    func run(filter: PreviewFilter, after: UUID?, limit: Int) async throws -> Outcome {
        var outcome = Outcome()
        var versions = PreviewVersions()
        try await withThrowingTaskGroup(of: (Int, BatchOutcome).self) { group in
            var next = try await nextBatch(filter: filter, after: nil, versions: &versions)
            var submitted = 0, running = 0, merged = 0
            // Batches finish out of order; they are added to the outcome in id order.
            var finished: [Int: BatchOutcome] = [:]
            while true {
                while running < Self.batchesAtOnce, let batch = next {
                    let index = submitted
                    group.addTask { (index, try await self.preview(batch.sites, after: after, limit: limit)) }
                    submitted += 1
                    running += 1
                    next = batch.full ? try await nextBatch(filter: filter, after: batch.lastID, versions: &versions) : nil
                }
                guard let (index, batchOutcome) = try await group.next() else { break }
                running -= 1
                finished[index] = batchOutcome
                while let ready = finished.removeValue(forKey: merged) {
                    outcome.tally.add(ready.tally)
                    outcome.resultsReadFromBodies += ready.resultsReadFromBodies
                    outcome.changed += ready.changed.prefix(max(0, limit + 1 - outcome.changed.count))
                    merged += 1
                }
            }
        }
        for preview in versions.byVersion.values { outcome.rulesReadFromBodies.formUnion(preview.rulesReadFromBodies) }
        return outcome
    }

    /// The previews of the versions the fleet's sites follow, made once each, and what each
    /// `sites.policy_version` value (nil: the newest) resolved to when first met.
    private struct PreviewVersions {
        var byVersion: [Int: PolicyPreview] = [:]
        var byPinned: [Int?: PolicyPreview?] = [:]
    }

    /// A batch of sites in id order and what the walk needs to go on: the last id read, and
    /// whether the batch was full (more may follow).
    private struct Batch: Sendable {
        var sites: [Site]
        var lastID: UUID?
        var full: Bool
    }

    /// The next batch with a site to preview (one whose every site is left out is passed
    /// over); nil past the last site.
    private func nextBatch(filter: PreviewFilter, after: UUID?, versions: inout PreviewVersions) async throws -> Batch? {
        var after = after
        while true {
            let next = try await batch(filter: filter, after: after, versions: &versions)
            if !next.sites.isEmpty { return next }
            guard next.full else { return nil }
            after = next.lastID
        }
    }

    /// The next sites of the policy in id order, each with the preview of its current version.
    private func batch(
        filter: PreviewFilter, after: UUID?, versions: inout PreviewVersions
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
            guard let preview = try await preview(pinned: try row.decode(Int?.self, column: "policy_version"), versions: &versions)
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

    /// The preview of the version a site follows (`pinned`, or the newest when nil), nil when
    /// that version is not stored. Each pinned value is looked up once per preview: sites that
    /// follow the newest version are most of a fleet, and asking the catalog for the newest
    /// one each time was a query (and the document sent back) for every site.
    private func preview(pinned: Int?, versions: inout PreviewVersions) async throws -> PolicyPreview? {
        if let known = versions.byPinned[pinned] { return known }
        let preview = try await policies.policy(name: name, version: pinned).map { current in
            versions.byVersion[current.version] ?? PolicyPreview(current: current, candidate: candidate)
        }
        if let preview { versions.byVersion[preview.current.version] = preview }
        versions.byPinned[pinned] = .some(preview)
        return preview
    }

    /// A site whose runs are gathered but for those its entries could not serve.
    private typealias Waiting = (runs: PreviewSiteRuns, wanted: [(UUID, Date)])

    /// The batch's sites previewed: their runs read in one statement (per site, an index scan
    /// each: every run from the window's start, or for a stale site a window before its newest
    /// run, with its entry when the entry is the site's current version's), one row a site
    /// with its runs as arrays, gathered site by site on the connection's thread as libpq
    /// holds them; then the bodies of the runs the entries could not serve.
    ///
    /// One row a site rather than one a run: 2.88 M rows for a fleet's day cost the server a
    /// message each and libpq a row each; aggregated, the same bytes come as 10,000 rows. The
    /// three arrays are built in one pass over the same rows, so their elements correspond; their
    /// order is the index's (rising finish time), and `PreviewSiteRuns` judges any other order
    /// through the general path, so nothing depends on it.
    private func preview(_ sites: [Site], after: UUID?, limit: Int) async throws -> BatchOutcome {
        let window = sites.reduce(candidate.freshnessWindow) { max($0, $1.preview.current.freshnessWindow) }
        let ids = PostgresArray(sites.map(\.id)), versions = PostgresArray(sites.map(\.preview.current.version))
        let query: PostgresQuery = """
            SELECT s.n, r.run_ids, r.finished, r.entries
            FROM unnest(\(ids)::uuid[], \(versions)::bigint[]) WITH ORDINALITY AS s(id, version, n)
            CROSS JOIN LATERAL (SELECT max(finished_at) AS at FROM results WHERE site_id = s.id) AS newest
            CROSS JOIN LATERAL (
                SELECT array_agg(run_id) AS run_ids, array_agg(finished_at) AS finished,
                       array_agg(CASE WHEN policy_name = \(name) AND policy_version = s.version THEN window_entry END) AS entries
                FROM results
                WHERE site_id = s.id AND finished_at >= least(newest.at, \(now)::timestamptz) - make_interval(secs => \(window))
            ) AS r
            """
        let now = self.now
        var (scored, waiting) = try await database.withConnection(idempotent: true) { connection in
            try connection.withBinaryRows(query) { rows in try Self.gather(rows, sites: sites, now: now) }
        }
        var outcome = BatchOutcome()
        if !waiting.isEmpty {
            outcome.resultsReadFromBodies = try await readBodies(&waiting, sites: sites)
            for (position, entry) in waiting { scored.append((position, entry.runs.site(sites[position].parameters, now: now))) }
            scored.sort { $0.0 < $1.0 }
        }
        for (position, preview) in scored {
            outcome.tally.add(preview)
            let site = sites[position]
            if preview.verdictChanged, after.map({ site.id > $0 }) ?? true, outcome.changed.count <= limit {
                outcome.changed.append(PreviewedSite(siteID: site.id, name: site.name, region: site.region, preview: preview))
            }
        }
        return outcome
    }

    /// Each site's runs from its row, judged when its entries served every one (by position
    /// in the batch), else left waiting for bodies.
    private static func gather(
        _ rows: PostgresBinaryRows, sites: [Site], now: Date
    ) throws -> ([(Int, SitePreview)], [Int: Waiting]) {
        var scored: [(Int, SitePreview)] = []
        scored.reserveCapacity(sites.count)
        var waiting: [Int: Waiting] = [:]
        // One set of reused columns per version of the policy the batch's sites are under.
        var gatherers: [Int: PreviewSiteRuns] = [:]
        let rowOfSite = try rowsBySite(rows, sites: sites.count)
        for (position, site) in sites.enumerated() {
            let version = site.preview.current.version
            var runs = gatherers.removeValue(forKey: version) ?? PreviewSiteRuns(preview: site.preview)
            runs.removeAll()
            var wanted: [(UUID, Date)] = []
            if let row = rowOfSite[position] {
                let runIDs = try rows.uuids(row: row, column: 1), finishedAt = try rows.dates(row: row, column: 2)
                guard runIDs.count == finishedAt.count else {
                    throw StoreError.unexpectedRows("\(finishedAt.count) times for \(runIDs.count) runs")
                }
                var entries = 0
                try rows.forEachText(row: row, column: 3) { run, entry in
                    // Every element counts, so an array longer than the runs fails the check below.
                    entries += 1
                    guard run < runIDs.count else { return }
                    let served = entry.map { runs.add(entryUTF8: $0, runID: runIDs[run], finishedAt: finishedAt[run]) } ?? false
                    if !served { wanted.append((runIDs[run], finishedAt[run])) }
                }
                guard entries == runIDs.count else {
                    throw StoreError.unexpectedRows("\(entries) entries for \(runIDs.count) runs")
                }
            }
            if wanted.isEmpty {
                scored.append((position, runs.site(site.parameters, now: now)))
            } else {
                waiting[position] = (runs, wanted)
            }
            gatherers[version] = runs
        }
        return (scored, waiting)
    }

    /// The row of each site by its position in the batch (the statement's `n`, from 1): a site
    /// missing from the rows has no runs.
    private static func rowsBySite(_ rows: PostgresBinaryRows, sites: Int) throws -> [Int?] {
        var rowOfSite = [Int?](repeating: nil, count: sites)
        for row in 0..<rows.count {
            let position = try rows.int(row: row, column: 0) - 1
            guard rowOfSite.indices.contains(position) else {
                throw StoreError.unexpectedRows("site position \(position + 1) outside the batch")
            }
            rowOfSite[position] = row
        }
        return rowOfSite
    }

    /// Observes the runs the entries could not serve from their bodies, a few sites per
    /// statement, into each waiting site's runs; the number of bodies read.
    private func readBodies(_ waiting: inout [Int: Waiting], sites: [Site]) async throws -> Int {
        var read = 0
        let positions = waiting.keys.sorted()
        let bySite = Dictionary(uniqueKeysWithValues: positions.map { (sites[$0].id, $0) })
        for start in stride(from: 0, to: positions.count, by: Self.sitesPerBodyBatch) {
            let chunk = positions[start..<min(start + Self.sitesPerBodyBatch, positions.count)]
            let runIDs = chunk.flatMap { waiting[$0]?.wanted ?? [] }
            let oldest = runIDs.map(\.1).min() ?? now
            let rows = try await database.query(
                """
                SELECT site_id, run_id, finished_at, body FROM results
                WHERE site_id = ANY(\(PostgresArray(chunk.map { sites[$0].id }))::uuid[]) AND finished_at >= \(oldest)
                  AND run_id = ANY(\(PostgresArray(runIDs.map(\.0)))::uuid[])
                """, idempotent: true)
            for row in rows {
                guard let position = bySite[try row.decode(UUID.self, at: 0)] else { continue }
                let body = try row.decode(PostgresJSON.self, at: 3)
                let result = try APIJSON.decoder.decode(ProbeResult.self, from: Data(body.bytes))
                waiting[position]?.runs.add(sites[position].preview.run(result, finishedAt: try row.decode(Date.self, at: 2)))
                read += 1
            }
        }
        return read
    }
}
