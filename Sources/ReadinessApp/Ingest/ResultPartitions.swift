import JSON
import Foundation
import Postgres
import SystemClock

/// Monthly partitions of `results` known to exist, so `ensure_results_partition` runs once per
/// month per process, and again after `recheckAfter`. It runs in its own short transaction
/// before the upload's: creating a partition locks the parent table, which must not be held
/// across a whole commit group.
///
/// The recheck bounds how long a partition dropped behind this replica's back (by a replica
/// given a shorter retention period, or by hand) fails uploads of its month with 503: until the
/// next check, which creates it again. Correctly configured replicas never meet that: ingest
/// refuses results of months the prune may drop.
final class ResultPartitions: @unchecked Sendable {  // all state behind `lock`
    private let lock = NSLock()
    /// Month index → when its partition was last seen to exist.
    private var known: [Int: MonotonicTime] = [:]
    private let database: PostgresPool
    private let recheckAfter: Duration
    /// The monotonic clock; injectable so a test can pass the recheck without sleeping (a
    /// short real recheck expired under load before the test could look).
    private let now: @Sendable () -> MonotonicTime

    init(
        database: PostgresPool, recheckAfter: Duration = .seconds(600),
        now: @escaping @Sendable () -> MonotonicTime = { MonotonicTime.now() }
    ) {
        self.database = database
        self.recheckAfter = recheckAfter
        self.now = now
    }

    func ensure(for dates: [Date]) async throws {
        let missing = unknownMonths(dates)
        for (month, date) in missing {
            try await database.execute("SELECT ensure_results_partition(\(date))")
            lock.withLock { known[month] = now() }
        }
    }

    /// Whether every month of `dates` is known to have its partition, so that ``ensure(for:)``
    /// would not need the database. For handlers on the event loop.
    func areKnown(for dates: [Date]) -> Bool {
        let now = self.now()
        return lock.withLock { dates.allSatisfy { isFresh(Self.month(of: $0), now: now) } }
    }

    private func unknownMonths(_ dates: [Date]) -> [Int: Date] {
        let now = self.now()
        return lock.withLock {
            var missing: [Int: Date] = [:]
            for date in dates {
                let month = Self.month(of: date)
                if !isFresh(month, now: now) { missing[month] = date }
            }
            return missing
        }
    }

    /// Under `lock`.
    private func isFresh(_ month: Int, now: MonotonicTime) -> Bool {
        guard let seen = known[month] else { return false }
        return now.duration(since: seen) < recheckAfter
    }

    /// Year × 12 + month in UTC, the partitioning function's calendar.
    static func month(of date: Date) -> Int { RFC3339Timestamp.utcMonthIndex(date) }
}
