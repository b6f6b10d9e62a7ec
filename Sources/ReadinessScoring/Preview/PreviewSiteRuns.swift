import Foundation

/// One site's runs for a fleet preview, gathered a column per rule as the stored entries
/// arrive, and judged under both policies with `PolicyPreview.site`'s exact result.
///
/// `PolicyPreview.site` sorts the runs, drops repeats, picks the window and gathers each
/// rule's column from an array of observations per run: some 3 µs a run, most of a fleet
/// preview's 2.88 M runs' time (an array and a dozen reference counts per run). Here a run's
/// entry is parsed straight into the columns (`ObservationTable`, a row of numbers per run), which
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
    /// Every run's observations under the current version's rules, in arrival order.
    private var table: ObservationTable
    /// Runs observed from their bodies, and every run once the columns cannot hold them.
    private var fromBodies: [PreviewRun] = []
    /// Whether every run finished strictly after the one before it.
    private var rising = true

    public init(preview: PolicyPreview) {
        self.preview = preview
        table = ObservationTable(columns: preview.current.plans.count)
    }

    /// Runs gathered so far, from entries and from bodies.
    public var count: Int { runIDs.count + fromBodies.count }

    /// Forgets the runs, keeping the storage for the next site.
    public mutating func removeAll() {
        runIDs.removeAll(keepingCapacity: true)
        finishedAt.removeAll(keepingCapacity: true)
        hostnames.removeAll(keepingCapacity: true)
        table.removeAll()
        fromBodies.removeAll()
        rising = true
    }

    /// Adds a run from its stored entry's UTF-8 bytes (under the current version); false, and
    /// nothing added, when the entry cannot serve (see `PolicyPreview.run(entry:…)`).
    public mutating func add(entryUTF8 entry: UnsafeRawBufferPointer, runID: UUID, finishedAt: Date) -> Bool {
        guard !preview.needsBodies else { return false }
        let hostname: String?
        switch table.append(entry: entry) {
        case let .added(parsed):
            hostname = parsed
        case .notAnEntry:
            return false
        case .mixed:
            // A rule whose runs disagree on the kind: every run as `RuleObservation`s from here on.
            guard let (observations, hostname) = WindowEntry.parse(utf8: Array(entry), rules: table.columns) else { return false }
            fromBodies = runs
            runIDs.removeAll(); self.finishedAt.removeAll(); hostnames.removeAll()
            table.removeAll()
            rising = true
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
              runIDsAreDistinct
        else { return preview.site(runs, site: site, now: now) }
        let (start, fresh) = chosenStart(window: current.freshnessWindow, now: now)
        let chosen = ChosenRunFacts(
            count: runIDs.count - start, agents: agents(from: start), newest: start < runIDs.count ? finishedAt.last : nil,
            oldest: start < runIDs.count ? finishedAt[start] : nil, fresh: fresh)
        let combined = start < runIDs.count
            ? (0..<table.columns).map { table.combined(column: $0, from: start, finishedAt: finishedAt, now: now) } : []
        return SitePreview(
            before: current.assessment(of: chosen, combined: combined, columns: nil, site: site, now: now),
            after: candidate.assessment(of: chosen, combined: combined, columns: preview.sources.map { $0 ?? 0 }, site: site, now: now))
    }

    /// Whether no run id repeats. Hashing each site's 288 ids into a `Set` (SipHash, a
    /// few percent of a fleet preview) is replaced by an open-addressed table of the ids'
    /// two halves folded into one word; only a word seen twice sends the check to the exact set.
    private var runIDsAreDistinct: Bool {
        var capacity = 16
        while capacity < runIDs.count * 2 { capacity <<= 1 }
        var slots = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        for id in runIDs {
            // 0 marks an empty slot, so a word of 0 is stored as 1 (a collision at worst, settled exactly).
            let folded = withUnsafeBytes(of: id.uuid) { $0.loadUnaligned(as: UInt64.self) ^ $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self) }
            let word = folded == 0 ? 1 : folded
            var index = Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
            while slots[index] != 0 {
                if slots[index] == word { return Set(runIDs).count == runIDs.count }
                index = (index + 1) & mask
            }
            slots[index] = word
        }
        return true
    }

    /// Every run added, for `PolicyPreview.site`.
    private var runs: [PreviewRun] {
        runIDs.indices.map { run in
            PreviewRun(run: ObservedRun(runID: runIDs[run], finishedAt: finishedAt[run], hostname: hostnames[run],
                                        observations: (0..<table.columns).map { table.observation(run: run, column: $0) }),
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
