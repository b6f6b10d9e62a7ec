import Foundation
import ReadinessScoring

/// The uploading agent's site and its compiled policy, remembered for a few seconds: every
/// upload needs both before it queues, and a site that follows its policy's newest version
/// would otherwise fetch the policy document on every upload. Staleness is bounded (a site or
/// policy change applies to uploads from at most `ttl` later) and harmless for integrity: the
/// writer locks the site row and re-checks that it exists and is not archived.
///
/// A site that keeps uploading is read again in the background once three quarters of `ttl`
/// have passed, so none of its uploads waits for those two round trips; no entry is used past
/// its own expiry, which keeps the bound.
final class UploadSiteCache: @unchecked Sendable {  // all state behind `lock`
    private struct Entry {
        let site: SiteRecord
        let policy: Policy
        let expires: Date
        let refreshAt: Date
        var refreshing = false
    }

    private let directory: SiteDirectory
    private let policies: PolicyCatalog
    private let ttl: TimeInterval
    private let lock = NSLock()
    private var entries: [UUID: Entry] = [:]

    init(directory: SiteDirectory, policies: PolicyCatalog, ttl: TimeInterval = 5) {
        self.directory = directory
        self.policies = policies
        self.ttl = ttl
    }

    /// The site and the policy its results are evaluated under. An archived site is answered
    /// too (the caller refuses it); a site whose policy is missing is a server fault.
    func site(_ id: UUID, now: Date) async throws -> (site: SiteRecord, policy: Policy) {
        if let cached = cachedSite(id, now: now) { return cached }
        return try await load(id, now: now)
    }

    /// ``site(_:now:)`` without waiting: the entry while it lasts, else nil (then ask
    /// `site`, which reads the database). For handlers on the event loop.
    func cachedSite(_ id: UUID, now: Date) -> (site: SiteRecord, policy: Policy)? {
        guard let cached = lookup(id, now: now) else { return nil }
        if cached.refreshDue { Task { await self.refresh(id, now: now) } }
        return (cached.site, cached.policy)
    }

    private func load(_ id: UUID, now: Date) async throws -> (site: SiteRecord, policy: Policy) {
        guard let site = try await directory.find(id) else {
            lock.withLock { _ = entries.removeValue(forKey: id) }
            throw SiteNotFound(id.uuidString.lowercased())
        }
        guard let policy = try await policies.policy(name: site.policyName, version: site.policyVersion) else {
            throw StoreError.sitePolicyMissing
        }
        remember(site, policy, now: now)
        return (site, policy)
    }

    /// A failed background read leaves the entry to expire on time; the next upload past
    /// `refreshAt` tries again.
    private func refresh(_ id: UUID, now: Date) async {
        do {
            _ = try await load(id, now: now)
        } catch {
            lock.withLock { entries[id]?.refreshing = false }
        }
    }

    private func remember(_ site: SiteRecord, _ policy: Policy, now: Date) {
        lock.withLock {
            if entries.count >= 10_000 && entries[site.id] == nil { entries.removeAll(keepingCapacity: true) }
            entries[site.id] = Entry(site: site, policy: policy, expires: now.addingTimeInterval(ttl),
                                     refreshAt: now.addingTimeInterval(ttl * 0.75))
        }
    }

    /// The entry while it lasts, and whether this caller is the one to read it again now.
    private func lookup(_ id: UUID, now: Date) -> (site: SiteRecord, policy: Policy, refreshDue: Bool)? {
        lock.lock()
        defer { lock.unlock() }
        guard var entry = entries[id], entry.expires > now else { return nil }
        let due = !entry.refreshing && now >= entry.refreshAt
        if due {
            entry.refreshing = true
            entries[id] = entry
        }
        return (entry.site, entry.policy, due)
    }
}
