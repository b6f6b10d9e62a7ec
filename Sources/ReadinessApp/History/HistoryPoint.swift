import Foundation

/// One point of a site's history (openapi `HistoryPoint`): one result (`raw`) or one bucket.
///
/// For a bucket, `verdict` is the worst verdict of its results (not_ready < insufficient_data <
/// minimal < optimal) so one failing run in an hour stays visible, and `result_count` is exact.
/// The other figures are chosen so a single outlier does not drag the trend:
/// - `hour`: `score` and the latency figures are the medians of the hour's results; bandwidth
///   is their 10th percentile, the reading the site assessment uses ("a bad hour, not an
///   average one").
/// - `day`: `score` and the latency figures are the median of the day's hourly means, and
///   bandwidth the 10th percentile of the hourly means. A day is read from an hourly rollup
///   (migration 0007) and a median does not roll up; see `HistoryQuery.daily`.
struct HistoryPoint: Sendable, Equatable {
    var at: Date
    var verdict: String
    var score: Int?
    var rttMsP50: Double?
    var jitterMsP50: Double?
    var lossPctP50: Double?
    var downKbps: Double?
    var upKbps: Double?
    var resultCount: Int
}

/// The body of `GET /v1/sites/{id}/history`.
struct SiteHistory: Sendable {
    /// Lower case, as every id in the API.
    var siteID: String
    var bucket: HistoryBucket
    var points: [HistoryPoint]
}
