import Foundation
import ReadinessDomain

/// Each recently written site's window of results and current assessment, as this process
/// last committed them, so the next group need not re-read and re-decode them from JSONB.
///
/// An entry is used only while the site's stored assessment still carries the ETag this
/// process wrote: every write of a site's results rewrites that assessment in the same
/// transaction, and its bytes include `assessed_at` to the microsecond, so a write by another
/// replica (or by this process's per-upload path) changes the ETag and the entry is ignored.
/// Entries are remembered only after their transaction committed.
final class SiteWindowCache: @unchecked Sendable {  // all state behind `lock`
    struct Entry: Sendable {
        let siteID: UUID
        let etag: String
        let assessment: SiteAssessment
        /// Every stored result of the site that finished at or after `coveredFrom`.
        let coveredFrom: Date
        let results: [ProbeResult]
    }

    /// A group with no upload for the site; the writer never asks for one.
    struct NothingToAssess: Error {}

    private let lock = NSLock()
    private var entries: [UUID: Entry] = [:]
    private var heldResults = 0
    /// Decoded results are a few KB each (50k: ~200 MB); past this many the cache starts over
    /// rather than grow, and windows are read from the table again.
    private let maxResults: Int

    init(maxResults: Int = 50_000) { self.maxResults = maxResults }

    func entry(for site: UUID, etag: String?) -> Entry? {
        guard let etag else { return nil }
        return lock.withLock {
            guard let entry = entries[site], entry.etag == etag else { return nil }
            return entry
        }
    }

    func remember(_ committed: [Entry]) {
        lock.withLock {
            for entry in committed {
                heldResults += entry.results.count - (entries[entry.siteID]?.results.count ?? 0)
                entries[entry.siteID] = entry
            }
            if heldResults > maxResults {
                entries.removeAll(keepingCapacity: true)
                heldResults = 0
            }
        }
    }
}
