import Foundation
import ReadinessScoring

/// Each recently written site's window (its runs as the policy's rules observed them, with
/// running aggregates: see `SiteWindow`) and current assessment, as this process last
/// committed them, so the next group neither re-reads results from JSONB nor re-scores the
/// whole window.
///
/// An entry is used only while the site's stored assessment still carries the ETag this
/// process wrote: every write of a site's results rewrites that assessment in the same
/// transaction, and its bytes include `assessed_at` to the microsecond, so a write by another
/// replica (or by a rescore after a site's settings changed) changes the ETag and the entry is ignored.
/// It is used only under the policy version it was observed with. Entries are taken out while
/// a group works on them (so the window is mutated in place, not copied) and put back only
/// after their transaction committed; a rolled-back group leaves the site to be read again.
package final class SiteWindowCache: @unchecked Sendable {  // all state behind `lock`
    package struct Entry: Sendable {
        let siteID: UUID
        let etag: String
        let assessment: SiteAssessment
        /// `var` so that a taken entry's window is changed in place: a copy would share the
        /// window's storage and the first insertion would copy every held run.
        var window: SiteWindow

        package init(siteID: UUID, etag: String, assessment: SiteAssessment, window: SiteWindow) {
            self.siteID = siteID
            self.etag = etag
            self.assessment = assessment
            self.window = window
        }
    }

    /// A group with no upload for the site; the writer never asks for one.
    package struct NothingToAssess: Error {
        package init() {}
    }

    private let lock = NSLock()
    private var entries: [UUID: Entry] = [:]
    private var heldRuns = 0
    /// A held run costs about 1 KB (one observation per rule and its place in the sorted
    /// aggregates): 200k runs are some 200 MB. A busy site's summarised window counts by its
    /// buckets (`SiteWindow.heldWeight`), not by the runs they summarise. Past this many,
    /// sites are forgotten (and read again when they next upload) until a quarter of the room
    /// is free.
    private let maxRuns: Int

    init(maxRuns: Int = 200_000) { self.maxRuns = maxRuns }

    /// The site's entry, removed from the cache, when it is still the database's (`etag`)
    /// and was observed under `policy`.
    func take(_ site: UUID, etag: String?, policy: Policy) -> Entry? {
        guard let etag else { return nil }
        return lock.withLock {
            guard let entry = entries.removeValue(forKey: site) else { return nil }
            heldRuns -= entry.window.heldWeight
            guard entry.etag == etag, entry.window.policy.name == policy.name,
                  entry.window.policy.version == policy.version else { return nil }
            return entry
        }
    }

    func remember(_ committed: [Entry]) {
        lock.withLock {
            for entry in committed {
                heldRuns += entry.window.heldWeight - (entries[entry.siteID]?.window.heldWeight ?? 0)
                entries[entry.siteID] = entry
            }
            guard heldRuns > maxRuns else { return }
            // Any sites will do: the dictionary's order has nothing to do with activity, so
            // this neither favours nor starves one site for long.
            while heldRuns > maxRuns * 3 / 4, let victim = entries.first {
                heldRuns -= victim.value.window.heldWeight
                entries.removeValue(forKey: victim.key)
            }
        }
    }

    /// Runs held now; for tests.
    var runCount: Int { lock.withLock { heldRuns } }
}
