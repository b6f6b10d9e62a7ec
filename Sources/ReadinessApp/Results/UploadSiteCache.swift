import Foundation
import HTTPServer

/// The uploading agent's site, remembered for a few seconds: every upload needs its policy and
/// parameters before it queues. Staleness is bounded and harmless for correctness: the writer
/// locks the site row and re-checks that it exists and is not archived in the transaction.
final class UploadSiteCache: @unchecked Sendable {  // all state behind `lock`
    private let directory: SiteDirectory
    private let ttl: TimeInterval
    private let lock = NSLock()
    private var entries: [UUID: (site: SiteRecord, expires: Date)] = [:]

    init(directory: SiteDirectory, ttl: TimeInterval = 5) {
        self.directory = directory
        self.ttl = ttl
    }

    func site(_ id: UUID, now: Date) async throws -> SiteRecord {
        if let cached = lookup(id, now: now) { return cached }
        guard let site = try await directory.find(id) else { throw SiteDirectory.notFound(id.uuidString.lowercased()) }
        remember(site, now: now)
        return site
    }

    private func remember(_ site: SiteRecord, now: Date) {
        lock.withLock {
            if entries.count >= 10_000 { entries.removeAll(keepingCapacity: true) }
            entries[site.id] = (site, now.addingTimeInterval(ttl))
        }
    }

    private func lookup(_ id: UUID, now: Date) -> SiteRecord? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[id], entry.expires > now else { return nil }
        return entry.site
    }
}
