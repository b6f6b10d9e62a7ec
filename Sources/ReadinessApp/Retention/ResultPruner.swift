import Foundation
import Logging
import Postgres

/// Deletes raw results that started before a boundary: first their `run_id` claims
/// (`result_runs`, in batches, each its own short transaction), then each monthly partition of
/// `results` that lies wholly before it (`DROP TABLE`, which frees the space at once, unlike
/// deleting rows). Every step can be repeated: a prune that stopped half-way is finished by
/// the next. One prune runs at a time across replicas (an advisory lock); another finds it
/// taken and skips.
struct ResultPruner: Sendable {
    let database: PostgresPool
    let logger: Logger
    /// Claims deleted per transaction: short enough not to hold locks or a snapshot for long.
    var batchSize = 10_000
    /// How long a partition's DROP waits for the table lock before giving up until the next run.
    /// Uploads queue behind a waiting DROP, so this is also the longest it can pause them.
    var lockTimeout = "2s"

    struct Report: Sendable, Equatable {
        var boundary: Date
        /// Partitions dropped (or, in a dry run, that would be).
        var partitions: [String] = []
        /// Claims deleted (or, in a dry run, that would be).
        var claims = 0
        /// Another prune held the lock; nothing was done.
        var skipped = false
    }

    /// Fixed key shared by every replica (`pg_advisory_lock(bigint)`), apart from the migrations' one.
    static let advisoryLockKey: Int64 = 7_346_201_905_118

    /// `shouldContinue` is asked between steps: false stops the prune there (a shutdown).
    func prune(before boundary: Date, dryRun: Bool = false,
               shouldContinue: @escaping @Sendable () -> Bool = { true }) async throws -> Report {
        try await database.withConnection { connection in
            var report = Report(boundary: boundary)
            guard try connection.query("SELECT pg_try_advisory_lock(\(Self.advisoryLockKey)) AS taken")[0]
                .decode(Bool.self, column: "taken") else {
                report.skipped = true
                return report
            }
            defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))") }
            let partitions = try Self.partitions(endingBy: boundary, on: connection)
            if dryRun {
                report.partitions = partitions
                report.claims = try connection.query(
                    "SELECT count(*) AS n FROM result_runs WHERE started_at < \(boundary)")[0].decode(Int.self, column: "n")
                return report
            }
            report.claims = try deleteClaims(before: boundary, on: connection, shouldContinue: shouldContinue)
            for partition in partitions where shouldContinue() {
                try connection.transaction { tx in
                    _ = try tx.execute("SET LOCAL lock_timeout = '\(unsafeRaw: lockTimeout)'")
                    _ = try tx.execute("DROP TABLE IF EXISTS \(unsafeRaw: partition)")
                }
                report.partitions.append(partition)
                logger.info("retention: dropped a month of results", metadata: ["partition": .string(partition)])
            }
            return report
        }
    }

    private func deleteClaims(before boundary: Date, on connection: PostgresConnection,
                              shouldContinue: () -> Bool) throws -> Int {
        var deleted = 0
        while shouldContinue() {
            let count = try connection.execute(
                """
                DELETE FROM result_runs WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM result_runs WHERE started_at < \(boundary) LIMIT \(batchSize)))
                """)
            deleted += count
            if count > 0 {
                logger.info("retention: deleting run_id claims", metadata: ["deleted": .stringConvertible(deleted)])
            }
            if count < batchSize { break }
        }
        return deleted
    }

    /// The partitions of `results` (named `results_YYYY_MM` by `ensure_results_partition`) whose
    /// whole month lies before `boundary`, oldest first. Any other name is left alone.
    static func partitions(endingBy boundary: Date, on connection: PostgresConnection) throws -> [String] {
        let rows = try connection.query(
            """
            SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'results'::regclass ORDER BY c.relname
            """)
        return try rows.compactMap { row in
            let name = try row.decode(String.self, column: "name")
            guard let monthEnd = monthEnd(ofPartition: name), monthEnd <= boundary else { return nil }
            return name
        }
    }

    /// The first instant after the month a `results_YYYY_MM` partition holds; nil for other names.
    static func monthEnd(ofPartition name: String) -> Date? {
        let parts = name.split(separator: "_")
        guard parts.count == 3, parts[0] == "results", parts[1].count == 4, parts[2].count == 2,
              let year = Int(parts[1]), let month = Int(parts[2]), (1...12).contains(month) else { return nil }
        let start = RetentionPeriod.utc.date(from: DateComponents(year: year, month: month, day: 1))
        return start.flatMap { RetentionPeriod.utc.date(byAdding: .month, value: 1, to: $0) }
    }
}
