import Foundation
import Postgres

extension HistoryQuery {
    /// Daily buckets from `result_hours` (migration 0007), the trigger-maintained hourly rollup.
    ///
    /// What a daily point holds (documented on ``HistoryPoint``):
    /// - `result_count` and `verdict` (the worst) are exact: counts add up and the minimum
    ///   rank of 24 hours is the minimum of the day.
    /// - `score`, `rtt_ms_p50`, `jitter_ms_p50`, `loss_pct_p50` are the median of the day's
    ///   hourly means. An exact median of 288 results would need every result (~105k rows a
    ///   year, ~100 ms); a median cannot be rolled up. The median of hourly means keeps the
    ///   property that matters here: one bad hour in a day does not move it.
    /// - `down_kbps`, `up_kbps` are the 10th percentile of the day's hourly means: "a bad
    ///   hour, not an average one", as before, now literally.
    ///
    /// The rollup holds whole UTC hours; a range that does not start or end on one (the
    /// default range ends now) takes its partial first and last hours from `results`, so the
    /// counts stay exact whatever the range.
    ///
    /// Whole past days are computed once and kept (`history_days`, migration 0011, which says
    /// when a kept point is forgotten): a year is read as 365 kept points, and only the days
    /// not kept yet, and those the range cuts, are computed.
    func daily(site: UUID, range: TimeRange) async throws -> [HistoryPoint] {
        let split = HourSplit(range)
        let keepable = KeepableDays(split, now: now)
        var points: [HistoryPoint] = []
        var keptDays = Set<Date>()
        if keepable.from < keepable.end {
            let rows = try await database.query(
                """
                SELECT day AS at, verdict, score, rtt_ms, jitter_ms, loss_pct, down_kbps, up_kbps, result_count
                FROM history_days WHERE site_id = \(site) AND day >= \(keepable.from) AND day < \(keepable.end)
                """, idempotent: true)
            for row in rows {
                keptDays.insert(try row.decode(Date.self, column: "at"))
                // A kept day without results has no point.
                if try row.decode(Int.self, column: "result_count") > 0 { points.append(try Self.point(row)) }
            }
        }
        let missing = keepable.days.filter { !keptDays.contains($0) }
        let statement = computing(site: site, range: range, split: split, keepable: keepable, missing: missing)
        let computed: PostgresRows
        if missing.isEmpty {
            computed = try await database.query(statement, idempotent: true)
        } else {
            // Under the site's history lock, taken before the statement's snapshot (see 0011).
            computed = try await database.withTransaction(retryable: true) { tx in
                _ = try tx.query(HistoryDayLock.lock(site: site))
                return try tx.query(statement)
            }
        }
        points += try computed.map(Self.point)
        return points.sorted { $0.at < $1.at }
    }

    /// The days the range cuts, the whole hours before and after the keepable days, and the
    /// keepable days in `missing`, aggregated; the points of `missing` are kept (a day without
    /// results as a count of 0).
    private func computing(site: UUID, range: TimeRange, split: HourSplit, keepable: KeepableDays, missing: [Date]) -> PostgresQuery {
        let spans = HourSpans(split: split, keepable: keepable, missing: missing)
        return PostgresQuery(
            """
            WITH hours AS (
                SELECT h.hour, h.result_count, h.worst_rank,
                       h.score_sum::float8 / nullif(h.score_count, 0) AS score,
                       h.rtt_ms_sum / nullif(h.rtt_ms_count, 0) AS rtt_ms,
                       h.jitter_ms_sum / nullif(h.jitter_ms_count, 0) AS jitter_ms,
                       h.loss_pct_sum / nullif(h.loss_pct_count, 0) AS loss_pct,
                       h.down_kbps_sum / nullif(h.down_kbps_count, 0) AS down_kbps,
                       h.up_kbps_sum / nullif(h.up_kbps_count, 0) AS up_kbps
                -- One index range scan per span.
                FROM unnest(\(spans.starts), \(spans.ends)) AS w(from_hour, end_hour)
                JOIN result_hours h ON h.site_id = \(site) AND h.hour >= w.from_hour AND h.hour < w.end_hour
                UNION ALL
                SELECT date_bin('1 hour', r.started_at, timestamptz '2000-01-01T00:00:00Z'), count(*)::int,
                       min(CASE r.verdict WHEN 'not_ready' THEN 1 WHEN 'insufficient_data' THEN 2
                                          WHEN 'minimal' THEN 3 ELSE 4 END),
                       avg(r.score)::float8, avg(r.rtt_ms), avg(r.jitter_ms), avg(r.loss_pct), avg(r.down_kbps), avg(r.up_kbps)
                FROM results r
                WHERE r.site_id = \(site)
                  AND ((r.started_at >= \(range.from) AND r.started_at < \(split.headEnd))
                       OR (r.started_at >= \(split.tailStart) AND r.started_at < \(range.to)))
                GROUP BY 1
            ), computed AS (
                SELECT date_bin('1 day', hour, timestamptz '2000-01-01T00:00:00Z') AS at,
                       (ARRAY['not_ready','insufficient_data','minimal','optimal'])[min(worst_rank)] AS verdict,
                       \(unsafeRaw: Self.bucketFigures),
                       sum(result_count)::int AS result_count
                FROM hours
                GROUP BY 1
            ), kept AS (
                -- In day order, so that two reads keeping the same days lock them in one order.
                INSERT INTO history_days (site_id, day, result_count, verdict, score, rtt_ms, jitter_ms, loss_pct,
                    down_kbps, up_kbps)
                SELECT \(site), m.day, coalesce(c.result_count, 0), c.verdict, c.score, c.rtt_ms, c.jitter_ms, c.loss_pct,
                       c.down_kbps, c.up_kbps
                FROM unnest(\(PostgresArray(missing))) AS m(day) LEFT JOIN computed c ON c.at = m.day
                ORDER BY m.day
                ON CONFLICT (site_id, day) DO UPDATE SET result_count = EXCLUDED.result_count,
                    verdict = EXCLUDED.verdict, score = EXCLUDED.score, rtt_ms = EXCLUDED.rtt_ms,
                    jitter_ms = EXCLUDED.jitter_ms, loss_pct = EXCLUDED.loss_pct, down_kbps = EXCLUDED.down_kbps,
                    up_kbps = EXCLUDED.up_kbps
            )
            SELECT * FROM computed ORDER BY at
            """)
    }
}

/// The UTC days of a range whose points may be kept, `[from, end)`: wholly inside its whole
/// hours, and before the service's yesterday (the database forgets kept points of days before
/// its own today, so its clock may be up to a day off; see migration 0011). Empty when
/// `end <= from`.
struct KeepableDays: Sendable, Equatable {
    static let day: TimeInterval = 86_400
    let from: Date
    let end: Date

    init(_ split: HourSplit, now: Date) {
        // Unix time and UTC agree on midnights.
        let yesterday = (now.timeIntervalSince1970 / Self.day).rounded(.down) * Self.day - Self.day
        from = Date(timeIntervalSince1970: (split.firstHour.timeIntervalSince1970 / Self.day).rounded(.up) * Self.day)
        end = Date(timeIntervalSince1970: min((split.endHour.timeIntervalSince1970 / Self.day).rounded(.down) * Self.day, yesterday))
    }

    /// Each day's UTC midnight, in order.
    var days: [Date] {
        guard from < end else { return [] }
        return Array(stride(from: from.timeIntervalSince1970, to: end.timeIntervalSince1970, by: Self.day).map { Date(timeIntervalSince1970: $0) })
    }
}

/// The whole hours a daily history aggregates: the range's whole hours outside the keepable
/// days, and the keepable days not kept yet, as spans `[start, end)` (adjacent days merged).
struct HourSpans: Sendable {
    private(set) var starts = PostgresArray<Date>()
    private(set) var ends = PostgresArray<Date>()
    private var spans: [(start: Date, end: Date)] = []

    init(split: HourSplit, keepable: KeepableDays, missing: [Date]) {
        if keepable.from < keepable.end {
            add(split.firstHour, keepable.from)
            for day in missing { add(day, day + KeepableDays.day) }
            add(keepable.end, split.endHour)
        } else {
            add(split.firstHour, split.endHour)
        }
        for span in spans {
            starts.append(span.start)
            ends.append(span.end)
        }
    }

    /// Spans come in order; one that starts where the last ended extends it.
    private mutating func add(_ start: Date, _ end: Date) {
        guard start < end else { return }
        if let last = spans.last, last.end == start {
            spans[spans.count - 1].end = end
        } else {
            spans.append((start, end))
        }
    }
}

/// The site's history lock (migration 0011): a read that keeps points and a statement that
/// stores results of past days take it, so neither's work lands between the other's snapshot
/// and commit. Two-key advisory locks, a space apart from the migrations' one-key lock.
enum HistoryDayLock {
    static func lock(site: UUID) -> PostgresQuery {
        PostgresQuery("SELECT pg_advisory_xact_lock(1212765012, hashtext(\(site)::text))")
    }
}
