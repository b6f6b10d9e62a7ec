import Foundation
import HTTPServer
import ReadinessDomain

/// The uploading agent's site and its compiled policy, remembered for a few seconds: every
/// upload needs both before it queues, and a site that follows its policy's newest version
/// would otherwise fetch the policy document on every upload. Staleness is bounded (a site or
/// policy change applies to uploads from at most `ttl` later) and harmless for integrity: the
/// writer locks the site row and re-checks that it exists and is not archived.
final class UploadSiteCache: @unchecked Sendable {  // all state behind `lock`
    private let directory: SiteDirectory
    private let policies: PolicyCatalog
    private let ttl: TimeInterval
    private let lock = NSLock()
    private var entries: [UUID: (site: SiteRecord, policy: Policy, expires: Date)] = [:]

    init(directory: SiteDirectory, policies: PolicyCatalog, ttl: TimeInterval = 5) {
        self.directory = directory
        self.policies = policies
        self.ttl = ttl
    }

    /// The site and the policy its results are evaluated under. An archived site is answered
    /// too (the caller refuses it); a site whose policy is missing is a server fault.
    func site(_ id: UUID, now: Date) async throws -> (site: SiteRecord, policy: Policy) {
        if let cached = lookup(id, now: now) { return cached }
        guard let site = try await directory.find(id) else { throw SiteDirectory.notFound(id.uuidString.lowercased()) }
        guard let policy = try await policies.policy(name: site.policyName, version: site.policyVersion) else {
            throw HTTPError(status: .internalServerError, detail: "the site's policy is not available")
        }
        remember(site, policy, now: now)
        return (site, policy)
    }

    private func remember(_ site: SiteRecord, _ policy: Policy, now: Date) {
        lock.withLock {
            if entries.count >= 10_000 { entries.removeAll(keepingCapacity: true) }
            entries[site.id] = (site, policy, now.addingTimeInterval(ttl))
        }
    }

    private func lookup(_ id: UUID, now: Date) -> (site: SiteRecord, policy: Policy)? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[id], entry.expires > now else { return nil }
        return (entry.site, entry.policy)
    }
}
