import Foundation
import Logging

/// Applies forward-only SQL migrations from a directory.
///
/// ```swift
/// let applied = try await Migrator(directory: url, logger: logger).migrate(pool)
/// ```
/// The run holds `pg_advisory_lock` on one connection, so replicas starting together
/// apply each file exactly once; the others wait, then find nothing left to do. Each file
/// runs in its own transaction together with its `schema_migrations` row, so a failing
/// file leaves neither schema changes nor a record. A recorded file whose SHA-256 changed
/// is refused: editing an applied migration would make environments diverge.
/// Files must be transaction-safe (no `CREATE INDEX CONCURRENTLY`).
public struct Migrator: Sendable {
    /// Arbitrary fixed key shared by every replica (`pg_advisory_lock(bigint)`).
    static let advisoryLockKey: Int64 = 7_346_201_905_117

    public let directory: URL
    let logger: Logger

    public init(directory: URL, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    /// Applies pending migrations and returns their versions in order (empty when none).
    @discardableResult
    public func migrate(_ pool: PostgresPool) async throws -> [Int] {
        let files = try MigrationFile.load(from: directory)
        let logger = logger
        let restoreTimeout = pool.configuration.statementTimeoutMilliseconds
        return try await pool.withConnection { connection in
            // Waiting for another replica's lock, or a slow migration, must not hit the
            // statement timeout meant for requests.
            try connection.execute("SET statement_timeout = 0")
            defer { _ = try? connection.execute(PostgresQuery(unsafeSQL: "SET statement_timeout = \(restoreTimeout ?? 0)")) }
            try connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
            // Released explicitly; should the connection die, the server releases it anyway.
            defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))") }
            return try Self.apply(files, on: connection, logger: logger)
        }
    }

    static func apply(_ files: [MigrationFile], on connection: PostgresConnection, logger: Logger) throws -> [Int] {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version int PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        var recorded: [Int: String] = [:]
        for row in try connection.query("SELECT version, checksum FROM schema_migrations") {
            recorded[try row.decode(Int.self, column: "version")] = try row.decode(String.self, column: "checksum")
        }
        var applied: [Int] = []
        for file in files {
            let checksum = try self.checksum(of: file, on: connection)
            if let existing = recorded[file.version] {
                guard existing == checksum else {
                    logger.error("applied migration was edited", metadata: ["migration": "\(file.fileName)"])
                    throw PostgresError(kind: .migration, reason: "migration \(file.fileName) was edited after it was applied (checksum mismatch)")
                }
                continue
            }
            try apply(file, checksum: checksum, on: connection, logger: logger)
            applied.append(file.version)
        }
        let unknown = Set(recorded.keys).subtracting(files.map(\.version))
        if !unknown.isEmpty {
            // A newer release may have run already (rolling deploy): not fatal for this one.
            logger.warning("database has migrations this build does not know", metadata: ["versions": "\(unknown.sorted())"])
        }
        return applied
    }

    /// SHA-256 computed by the server, so this layer needs no crypto dependency.
    static func checksum(of file: MigrationFile, on connection: PostgresConnection) throws -> String {
        let rows = try connection.query("SELECT encode(sha256(convert_to(\(file.sql), 'UTF8')), 'hex') AS checksum")
        guard let row = rows.first else { throw PostgresError(kind: .migration, reason: "checksum query returned no row") }
        return try row.decode(String.self, column: "checksum")
    }

    private static func apply(_ file: MigrationFile, checksum: String, on connection: PostgresConnection, logger: Logger) throws {
        do {
            try PostgresPool.runTransaction(on: connection, isolation: .readCommitted, attempts: 1) { connection in
                // The file may hold many statements: the simple-query protocol runs them all.
                // This is the one place raw SQL is executed, and it comes from our own repository.
                try connection.executeScript(unsafeSQL: file.sql)
                try connection.execute("""
                    INSERT INTO schema_migrations (version, name, checksum, applied_at)
                    VALUES (\(file.version), \(file.name), \(checksum), now())
                    """)
            }
            logger.info("applied migration", metadata: ["migration": "\(file.fileName)"])
        } catch let error as PostgresError where error.kind != .connection {
            logger.error("migration failed and was rolled back", metadata: [
                "migration": "\(file.fileName)", "postgres.sqlstate": "\(error.sqlState?.rawValue ?? "none")",
            ])
            throw PostgresError(
                kind: .migration, reason: "migration \(file.fileName) failed and was rolled back",
                sqlState: error.sqlState, constraintName: error.constraintName
            )
        }
    }
}
