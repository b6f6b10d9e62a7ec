import Foundation

/// One site's runs for a fleet preview, gathered a column per rule as the stored entries
/// arrive, and judged under both policies with `PolicyPreview.site`'s exact result.
///
/// `PolicyPreview.site` sorts the runs, drops repeats, picks the window and gathers each
/// rule's column from an array of observations per run: some 3 µs a run, most of a fleet
/// preview's 2.88 M runs' time (an array and a dozen reference counts per run). Here a run's
/// entry is parsed straight into the columns (`ObservationColumn`, numbers by kind), which
/// are reused site after site. When the runs come as a window's rows usually do (from their
/// entries, in strictly rising finish time, each run once: the index order of `results`), the
/// columns are already `Policy.assess`'s order and the window is a suffix of them, so they are
/// combined where they are. Anything else (runs read from bodies, a tie or a step back in
/// finish time, a run twice, a rule whose runs disagree on the kind of observation, a
/// candidate with a freshness window of its own) is handed to `PolicyPreview.site`.
public struct PreviewSiteRuns: Sendable {
    public let preview: PolicyPreview
    private var runIDs: [UUID] = []
    private var finishedAt: [Date] = []
    private var hostnames: [String?] = []
    /// Column `i`: every run's observation under the current version's rule `i`, in arrival order.
    private var columns: [ObservationColumn]
    /// Runs observed from their bodies, and every run once the columns cannot hold them.
    private var fromBodies: [PreviewRun] = []
    /// Whether every run finished strictly after the one before it.
    private var rising = true

    public init(preview: PolicyPreview) {
        self.preview = preview
        columns = Array(repeating: ObservationColumn(), count: preview.current.plans.count)
    }

    /// Runs gathered so far, from entries and from bodies.
    public var count: Int { runIDs.count + fromBodies.count }

    /// Forgets the runs, keeping the storage for the next site.
    public mutating func removeAll() {
        runIDs.removeAll(keepingCapacity: true)
        finishedAt.removeAll(keepingCapacity: true)
        hostnames.removeAll(keepingCapacity: true)
        for index in columns.indices { columns[index].removeAll() }
        fromBodies.removeAll()
        rising = true
    }

    /// Adds a run from its stored entry's UTF-8 bytes (under the current version); false, and
    /// nothing added, when the entry cannot serve (see `PolicyPreview.run(entry:…)`).
    public mutating func add(entryUTF8 entry: UnsafeRawBufferPointer, runID: UUID, finishedAt: Date) -> Bool {
        guard !preview.needsBodies else { return false }
        let held = runIDs.count
        var sink = ColumnSink(columns: columns, run: held)
        columns = []  // the sink holds the only reference, so the columns grow in place
        let hostname = WindowEntry.parse(utf8: entry, rules: sink.columns.count, into: &sink) { $0.truncate() }
        let mixed = sink.columns.contains { $0.isMixed }
        columns = sink.columns
        guard let hostname, !mixed else {
            for index in columns.indices { columns[index].truncate(to: held) }
            guard hostname != nil else { return false }
            // A rule whose runs disagree on the kind: every run as `RuleObservation`s from here on.
            guard let (observations, hostname) = WindowEntry.parse(utf8: Array(entry), rules: columns.count)
            else { return false }
            fromBodies = runs
            runIDs.removeAll(); self.finishedAt.removeAll(); hostnames.removeAll()
            for index in columns.indices { columns[index].removeAll() }
            fromBodies.append(PreviewRun(run: ObservedRun(runID: runID, finishedAt: finishedAt, hostname: hostname,
                                                          observations: observations), candidate: nil))
            return true
        }
        if let last = self.finishedAt.last, !(last < finishedAt) { rising = false }
        runIDs.append(runID)
        self.finishedAt.append(finishedAt)
        hostnames.append(hostname)
        return true
    }

    /// Adds a run observed from its body (`PolicyPreview.run(_:finishedAt:)`).
    public mutating func add(_ run: PreviewRun) {
        fromBodies.append(run)
    }

    /// The site under both policies at `now`: `preview.site(runs, site:, now:)` of the runs added.
    public func site(_ site: SiteParameters, now: Date) -> SitePreview {
        let current = preview.current, candidate = preview.candidate
        guard fromBodies.isEmpty, !preview.needsBodies, current.freshnessWindow == candidate.freshnessWindow, rising,
              Set(runIDs).count == runIDs.count
        else { return preview.site(runs, site: site, now: now) }
        let (start, fresh) = chosenStart(window: current.freshnessWindow, now: now)
        let chosen = ChosenRunFacts(
            count: runIDs.count - start, agents: agents(from: start), newest: start < runIDs.count ? finishedAt.last : nil,
            oldest: start < runIDs.count ? finishedAt[start] : nil, fresh: fresh)
        let combined = start < runIDs.count ? columns.map { $0.combined(from: start, finishedAt: finishedAt, now: now) } : []
        return SitePreview(
            before: current.assessment(of: chosen, combined: combined, columns: nil, site: site, now: now),
            after: candidate.assessment(of: chosen, combined: combined, columns: preview.sources.map { $0 ?? 0 }, site: site, now: now))
    }

    /// Every run added, for `PolicyPreview.site`.
    private var runs: [PreviewRun] {
        runIDs.indices.map { run in
            PreviewRun(run: ObservedRun(runID: runIDs[run], finishedAt: finishedAt[run], hostname: hostnames[run],
                                        observations: columns.map { $0.observation(run) }),
                       candidate: nil)
        } + fromBodies
    }

    /// `AssessedRuns`' choice over runs in rising finish time: the first run of the freshness
    /// window; with none in it (and some runs), the first of the window ending at the newest.
    private func chosenStart(window: TimeInterval, now: Date) -> (Int, fresh: Bool) {
        let cutoff = now.addingTimeInterval(-window)
        let first = firstIndex(notBefore: cutoff)
        guard first == runIDs.count, let newest = finishedAt.last else { return (first, true) }
        return (firstIndex(notBefore: newest.addingTimeInterval(-window)), false)
    }

    private func firstIndex(notBefore bound: Date) -> Int {
        var low = 0, high = finishedAt.count
        while low < high {
            let middle = (low + high) / 2
            if finishedAt[middle] >= bound { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// `AssessedRuns.agents` of the runs from `start`: hostnames, else each run its own agent.
    private func agents(from start: Int) -> Int {
        var agents = Set<String>()
        var previous: String?
        for run in start..<runIDs.count {
            // Most runs of a site name the host of the run before them: no hashing then.
            if let hostname = hostnames[run] {
                if hostname == previous { continue }
                previous = hostname
                agents.insert(hostname)
            } else {
                agents.insert(runIDs[run].uuidString)
            }
        }
        return agents.count
    }

}

/// Hands an entry's observations to the columns, the `i`th to column `i`.
private struct ColumnSink: EntryFieldSink {
    var columns: [ObservationColumn]
    /// The run being added: what a column holds before it.
    let run: Int
    var next = 0

    @inline(__always)
    mutating func add(_ observation: RuleObservation) {
        guard next < columns.count else { return }
        columns[next].append(observation)
        next += 1
    }

    /// Forgets what was handed over of this run.
    mutating func truncate() {
        for index in columns.indices { columns[index].truncate(to: run) }
        next = 0
    }
}
