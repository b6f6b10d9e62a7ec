import Foundation
import Postgres
import ReadinessDomain

/// Monthly partitions of `results` known to exist, so `ensure_results_partition` runs once per
/// month per process. It runs in its own short transaction before the upload's: creating a
/// partition locks the parent table, which must not be held across a whole commit group.
final class ResultPartitions: @unchecked Sendable {  // all state behind `lock`
    private let lock = NSLock()
    private var known: Set<Int> = []
    private let database: PostgresPool

    init(database: PostgresPool) { self.database = database }

    func ensure(for dates: [Date]) async throws {
        let missing = unknownMonths(dates)
        for (month, date) in missing {
            try await database.execute("SELECT ensure_results_partition(\(date))")
            _ = lock.withLock { known.insert(month) }
        }
    }

    /// Whether every month of `dates` is known to have its partition, so that ``ensure(for:)``
    /// would not need the database. For handlers on the event loop.
    func areKnown(for dates: [Date]) -> Bool {
        lock.withLock { dates.allSatisfy { known.contains(Self.month(of: $0)) } }
    }

    private func unknownMonths(_ dates: [Date]) -> [Int: Date] {
        lock.withLock {
            var missing: [Int: Date] = [:]
            for date in dates {
                let month = Self.month(of: date)
                if !known.contains(month) { missing[month] = date }
            }
            return missing
        }
    }

    /// Year × 12 + month in UTC, the partitioning function's calendar.
    static func month(of date: Date) -> Int { RFC3339Timestamp.utcMonthIndex(date) }
}
