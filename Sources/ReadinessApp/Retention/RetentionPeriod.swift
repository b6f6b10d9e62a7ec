import JSON
import Foundation
import ReadinessContract

/// How long raw results are kept (`READINESS_RETENTION_DAYS`). Ingest refuses a result that
/// started before ``cutoff(now:)``, and ``ResultPruner`` deletes whole months of results once
/// all of a month is before it, a partition at a time. Raw and hourly history go with the
/// results. Daily history (read from the hourly rollup `result_hours` and the kept
/// `history_days`), changes and current assessments are kept: they are small, and no result
/// can be added to a month the cutoff has passed, so they stay right.
///
/// Every replica must be given the same period: one that kept longer would accept a result
/// for a month another replica's prune dropped (see ``ResultPartitions`` for what then happens).
public struct RetentionPeriod: Sendable, Equatable {
    public let days: Int
    /// Accepted periods: at least the history operations' default range (30 days), which a
    /// shorter period would leave partly empty.
    public static let allowedDays = 31...36_500

    public init(days: Int) {
        self.days = days
    }

    /// The oldest `started_at` ingest accepts at `now`.
    func cutoff(now: Date) -> Date {
        now.addingTimeInterval(-Double(days) * 86_400)
    }

    /// Results that started before this may be deleted: the start (UTC) of the month that held
    /// the cutoff a day earlier, since results go a partition (a month) at a time. The day is a
    /// margin for replicas' clocks: one a little behind the pruning one still accepts results
    /// of the month before the cutoff's for a moment after the cutoff entered a new month, and
    /// that partition must still be there.
    func pruneBoundary(now: Date) -> Date {
        Self.monthStart(of: cutoff(now: now).addingTimeInterval(-86_400))
    }

    static func monthStart(of date: Date) -> Date {
        let parts = Self.utc.dateComponents([.year, .month], from: date)
        return Self.utc.date(from: DateComponents(year: parts.year, month: parts.month, day: 1))!
    }

    /// The partitioning function's calendar (`ensure_results_partition` works in UTC).
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// 422 naming every result of the upload that started before the cutoff; nothing is stored.
    func requireKept(_ upload: DecodedUpload, now: Date) throws {
        let cutoff = cutoff(now: now)
        var faults: [(pointer: String, detail: String)] = []
        for (index, result) in upload.results.enumerated() where result.startedAt < cutoff {
            faults.append((
                (upload.wasBatch ? "/results/\(index)" : "") + "/started_at",
                "is older than this service keeps results (\(days) days: nothing that started before \(RFC3339Timestamp.format(cutoff)))"))
        }
        guard !faults.isEmpty else { return }
        var problem = RequestBody.validationProblem(faults)
        problem.detail = (problem.detail ?? "") + "; nothing was stored"
        throw problem
    }
}
