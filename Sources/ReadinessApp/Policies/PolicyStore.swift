import Foundation
import Postgres
import ReadinessScoring

/// Versions of policies in `policies` (migration 0001). A stored version is never changed:
/// a new document is a new row, numbered by the server.
struct PolicyStore: Sendable {
    let database: PostgresPool
    /// Attempts at storing a version before answering 409: two administrators saving the same
    /// policy at once both read the same newest version, and one insert loses.
    static let attempts = 3

    /// A policy in `GET /v1/policies` (openapi `PolicySummary`); its shape is declared in
    /// `PolicyStore+JSON`.
    struct Summary: Sendable {
        let name: String
        let latestVersion: Int
        let versions: [Int]
    }

    /// Every policy with its versions ascending, by name.
    func summaries() async throws -> [Summary] {
        let rows = try await database.query("SELECT name, version FROM policies ORDER BY name, version", idempotent: true)
        var summaries: [Summary] = []
        var versions: [Int] = []
        var current: String?
        for row in rows {
            let name = try row.decode(String.self, column: "name")
            if let current, current != name, let latest = versions.last {
                summaries.append(Summary(name: current, latestVersion: latest, versions: versions))
                versions = []
            }
            current = name
            versions.append(try row.decode(Int.self, column: "version"))
        }
        if let current, let latest = versions.last {
            summaries.append(Summary(name: current, latestVersion: latest, versions: versions))
        }
        return summaries
    }

    /// Stores `document` as the next version of `name` and returns it as stored; nil when every
    /// attempt lost a race with a concurrent store.
    func storeNextVersion(of name: String, _ document: PolicyDocument, now: Date) async throws -> PolicyDocument? {
        for _ in 1...Self.attempts {
            do {
                return try await database.withTransaction { tx in
                    let rows = try tx.query("SELECT coalesce(max(version), 0) + 1 AS next FROM policies WHERE name = \(name)")
                    var stored = document
                    stored.policy = name
                    stored.version = try rows.first?.decode(Int.self, column: "next") ?? 1
                    let json = try PostgresJSONB(encoding: stored)
                    try tx.execute(
                        """
                        INSERT INTO policies (name, version, document, created_at)
                        VALUES (\(name), \(stored.version), \(json), \(now))
                        """)
                    return stored
                }
            } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                continue
            }
        }
        return nil
    }
}
