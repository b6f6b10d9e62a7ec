import Foundation
import Logging
import Postgres
import ReadinessScoring

/// Policies from the `policies` table, compiled once per (name, version): a stored version is
/// never edited (new versions are new rows), so the compiled form can be cached forever and
/// every replica computes the same one.
final class PolicyCatalog: Sendable {
    private let database: PostgresPool
    private let compiled = CompiledPolicies()

    init(database: PostgresPool) { self.database = database }

    /// The policy, or nil when that name (or that version) does not exist. `version` nil means
    /// the newest: its number is asked for alone, and its document only when that version is
    /// not compiled yet (callers ask per site; sending the document back each time cost the
    /// server a decompression and a JSON rendering per ask).
    func policy(name: String, version: Int?) async throws -> Policy? {
        let wanted: Int
        if let version {
            wanted = version
        } else {
            let newest = try await database.query(
                "SELECT max(version) AS version FROM policies WHERE name = \(name)", idempotent: true)
            guard let number = try newest.first?.decode(Int?.self, column: "version") else { return nil }
            wanted = number
        }
        if let cached = compiled.lookup(name, wanted) { return cached }
        let rows = try await database.query(
            "SELECT document FROM policies WHERE name = \(name) AND version = \(wanted)", idempotent: true)
        guard let row = rows.first else { return nil }
        let document = try row.decode(PostgresJSONB.self, column: "document")
        let policy = try Policy(json: Data(document.bytes))
        compiled.store(policy, name, wanted)
        return policy
    }

    /// A policy version read inside the caller's transaction and compiled, for the writer's
    /// rare need of another version than the upload's (a site's stored assessment from before
    /// it changed policy). Throws when the version does not exist: stored documents name only
    /// versions that were stored, and versions are never deleted.
    static func policy(name: String, version: Int, on tx: PostgresConnection) throws -> Policy {
        let rows = try tx.query("SELECT document FROM policies WHERE name = \(name) AND version = \(version)")
        guard let row = rows.first else { throw PolicyVersionMissing(name: name, version: version) }
        return try Policy(json: Data(try row.decode(PostgresJSONB.self, column: "document").bytes))
    }

    /// The version a site follows, read inside the caller's transaction: `version`, or the
    /// newest when nil.
    static func policy(name: String, version: Int?, on tx: PostgresConnection) throws -> Policy {
        if let version { return try policy(name: name, version: version, on: tx) }
        let rows = try tx.query("SELECT version, document FROM policies WHERE name = \(name) ORDER BY version DESC LIMIT 1")
        guard let row = rows.first else { throw PolicyVersionMissing(name: name, version: 0) }
        return try Policy(json: Data(try row.decode(PostgresJSONB.self, column: "document").bytes))
    }

    struct PolicyVersionMissing: Error {
        let name: String
        let version: Int
    }

    /// Stores the shipped default (`sococo` version 1) unless it is there; every replica may
    /// run this at start, the primary key makes the race harmless.
    func ensureDefault(logger: Logger) async throws {
        let policy = try BundledPolicy.sococo()
        let document = try PostgresJSONB(encoding: policy.document)
        let inserted = try await database.execute(
            """
            INSERT INTO policies (name, version, document) VALUES (\(policy.name), \(policy.version), \(document))
            ON CONFLICT (name, version) DO NOTHING
            """)
        if inserted > 0 { logger.info("stored the default policy", metadata: ["policy": "\(policy.name)", "version": "\(policy.version)"]) }
    }
}

/// The compiled-policy cache behind ``PolicyCatalog``.
private final class CompiledPolicies: @unchecked Sendable {  // all state behind `lock`
    private let lock = NSLock()
    private var policies: [String: Policy] = [:]

    func lookup(_ name: String, _ version: Int) -> Policy? {
        lock.lock()
        defer { lock.unlock() }
        return policies["\(name)@\(version)"]
    }

    func store(_ policy: Policy, _ name: String, _ version: Int) {
        lock.lock()
        defer { lock.unlock() }
        policies["\(name)@\(version)"] = policy
    }
}
