import Foundation
import Postgres

/// Writes to `sites`. Every change that must not half-happen (archive: the site and its agents'
/// tokens) is one transaction.
struct SiteStore: Sendable {
    let database: PostgresPool

    enum Outcome: Sendable {
        case done(SiteRecord)
        case notFound
        case archived(Date)
    }

    func insert(_ site: SiteRecord) async throws -> SiteRecord {
        let rows = try await database.query(
            """
            INSERT INTO sites (id, name, region, timezone, tags, expected_users, longest_call_s, policy_name,
                               policy_version, created_at, updated_at)
            VALUES (\(site.id), \(site.name), \(site.region), \(site.timezone), \(site.tags), \(site.expectedUsers),
                    \(site.longestCallS), \(site.policyName), \(site.policyVersion), \(site.createdAt), \(site.updatedAt))
            RETURNING \(unsafeRaw: SiteRecord.columns)
            """)
        guard let row = rows.first else { throw MissingRowError(statement: "INSERT INTO sites") }
        return try SiteRecord(row: row)
    }

    /// Applies `changes` to the site under a row lock, so two patches of different members both
    /// land instead of the later one restoring what the earlier one changed. A change to what the
    /// site is judged by (policy, expected users, longest call) scores its current assessment
    /// again in the same transaction.
    func update(_ id: UUID, with changes: SiteChanges, now: Date) async throws -> Outcome {
        return try await database.withTransaction { tx in
            let current = try tx.query(
                "SELECT \(unsafeRaw: SiteRecord.columns) FROM sites WHERE id = \(id) FOR UPDATE")
            guard let row = current.first else { return .notFound }
            let record = try SiteRecord(row: row)
            if let archivedAt = record.archivedAt { return .archived(archivedAt) }
            let site = changes.applied(to: record)
            let updated = try tx.query(
                """
                UPDATE sites SET name = \(site.name), region = \(site.region), timezone = \(site.timezone),
                    tags = \(site.tags), expected_users = \(site.expectedUsers), longest_call_s = \(site.longestCallS),
                    policy_name = \(site.policyName), policy_version = \(site.policyVersion), updated_at = \(now)
                WHERE id = \(id)
                RETURNING \(unsafeRaw: SiteRecord.columns)
                """)
            guard let row = updated.first else { return .notFound }
            let saved = try SiteRecord(row: row)
            if saved.policyName != record.policyName || saved.policyVersion != record.policyVersion
                || saved.expectedUsers != record.expectedUsers || saved.longestCallS != record.longestCallS {
                let policy = try PolicyCatalog.policy(name: saved.policyName, version: saved.policyVersion, on: tx)
                try SiteAssessmentUpdater.rescore(site: saved, policy: policy, now: now, on: tx)
            }
            return .done(saved)
        }
    }

    /// Archives the site and revokes its agents and their tokens, all or nothing. Archiving an
    /// archived site changes nothing (the API answers 204 either way).
    func archive(_ id: UUID, now: Date) async throws -> Bool {
        try await database.withTransaction { tx in
            let found = try tx.query("SELECT archived_at FROM sites WHERE id = \(id) FOR UPDATE")
            guard let row = found.first else { return false }
            guard try row.decode(Date?.self, column: "archived_at") == nil else { return true }
            try tx.execute("UPDATE sites SET archived_at = \(now), updated_at = \(now) WHERE id = \(id)")
            try tx.execute("UPDATE agents SET revoked_at = \(now) WHERE site_id = \(id) AND revoked_at IS NULL")
            try tx.execute("UPDATE api_tokens SET revoked_at = \(now) WHERE site_id = \(id) AND revoked_at IS NULL")
            return true
        }
    }
}

/// A statement with `RETURNING` answered no row: a bug or a concurrent schema change, a 500.
struct MissingRowError: Error, CustomStringConvertible, Sendable {
    let statement: String
    var description: String { "\(statement) returned no row" }
}
