import Foundation

/// Encoded current assessments by site, so that a hot `GET …/assessment` costs no database
/// round trip and no JSON work.
///
/// Consistency (PostgreSQL stays the truth; this is derived, bounded state): an entry is
/// trusted for `maxAge` from the moment the query that produced or revalidated it was sent.
/// After that the next request revalidates it with one conditional query (``AssessmentReader``),
/// which requests for the same site arriving meanwhile share. So a replica serves a site's
/// assessment at most `maxAge` (1 s) behind what was committed when the request arrived, plus at
/// most the duration of one shared revalidation; a deleted site disappears within the same bound.
/// Whether the assessment reads as stale is decided per request from the clock, not cached.
final class AssessmentCache: @unchecked Sendable {  // all mutable state behind `lock`
    typealias Loader = @Sendable (_ site: UUID, _ previous: CurrentAssessment?) async throws -> CurrentAssessment?

    private struct Entry {
        let current: CurrentAssessment
        let validatedAt: ContinuousClock.Instant
    }

    private struct Refresh {
        let id: Int
        let task: Task<CurrentAssessment?, any Error>
    }

    private enum Lookup {
        case hit(CurrentAssessment)
        case wait(Task<CurrentAssessment?, any Error>)
    }

    let maxAge: Duration
    private let byteBudget: Int
    private let load: Loader
    private let lock = NSLock()
    private var entries: [UUID: Entry] = [:]
    private var bytes = 0
    private var inFlight: [UUID: Refresh] = [:]
    private var nextRefreshID = 0

    /// `byteBudget`: about two encoded forms of ~10 KB each per site, so 64 MiB holds some 3,000
    /// sites; past it the cache starts over, which costs one query per site, never memory.
    init(maxAge: Duration = .seconds(1), byteBudget: Int = 64 << 20, load: @escaping Loader) {
        self.maxAge = maxAge
        self.byteBudget = byteBudget
        self.load = load
    }

    /// The site's current assessment, or nil when the site does not exist.
    func current(_ site: UUID) async throws -> CurrentAssessment? {
        let now = ContinuousClock.now
        let lookup: Lookup = lock.withLock {
            if let entry = entries[site], now - entry.validatedAt < maxAge { return .hit(entry.current) }
            if let running = inFlight[site] { return .wait(running.task) }
            let id = nextRefreshID
            nextRefreshID += 1
            let previous = entries[site]?.current
            let task = Task { try await self.refresh(site, previous: previous, id: id) }
            inFlight[site] = Refresh(id: id, task: task)
            return .wait(task)
        }
        switch lookup {
        case .hit(let current): return current
        case .wait(let task): return try await task.value
        }
    }

    private func refresh(_ site: UUID, previous: CurrentAssessment?, id: Int) async throws -> CurrentAssessment? {
        let sentAt = ContinuousClock.now
        let result: Result<CurrentAssessment?, any Error>
        do { result = .success(try await load(site, previous)) } catch { result = .failure(error) }
        lock.withLock {
            // Superseded by `invalidate`: what this query saw may predate the change.
            guard inFlight[site]?.id == id else { return }
            inFlight[site] = nil
            if let old = entries.removeValue(forKey: site) { bytes -= old.current.byteCount }
            // A failed revalidation drops the entry: serving it longer would break the bound.
            guard case .success(let current?) = result else { return }
            if bytes + current.byteCount > byteBudget {
                entries.removeAll(keepingCapacity: true)
                bytes = 0
            }
            entries[site] = Entry(current: current, validatedAt: sentAt)
            bytes += current.byteCount
        }
        return try result.get()
    }

    /// Forgets the site, so this replica's next read goes to PostgreSQL; for a writer in the
    /// same process that wants its own change visible at once rather than within `maxAge`.
    func invalidate(_ site: UUID) {
        lock.withLock {
            inFlight[site] = nil
            if let old = entries.removeValue(forKey: site) { bytes -= old.current.byteCount }
        }
    }

    /// Entries held now; for tests.
    var count: Int { lock.withLock { entries.count } }
}
