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
struct HistoryPoint: Encodable, Sendable, Equatable {
    var at: Date
    var verdict: String
    var score: Int?
    var rttMsP50: Double?
    var jitterMsP50: Double?
    var lossPctP50: Double?
    var downKbps: Double?
    var upKbps: Double?
    var resultCount: Int

    enum CodingKeys: String, CodingKey {
        case at, verdict, score
        case rttMsP50 = "rtt_ms_p50"
        case jitterMsP50 = "jitter_ms_p50"
        case lossPctP50 = "loss_pct_p50"
        case downKbps = "down_kbps"
        case upKbps = "up_kbps"
        case resultCount = "result_count"
    }

    // Every member is required by the contract: nulls are written, never left out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(at, forKey: .at)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(score, forKey: .score)
        try container.encode(rttMsP50, forKey: .rttMsP50)
        try container.encode(jitterMsP50, forKey: .jitterMsP50)
        try container.encode(lossPctP50, forKey: .lossPctP50)
        try container.encode(downKbps, forKey: .downKbps)
        try container.encode(upKbps, forKey: .upKbps)
        try container.encode(resultCount, forKey: .resultCount)
    }
}

/// The body of `GET /v1/sites/{id}/history`.
struct SiteHistory: Encodable, Sendable {
    /// Lower case, as every id in the API.
    var siteID: String
    var bucket: HistoryBucket
    var points: [HistoryPoint]

    enum CodingKeys: String, CodingKey {
        case points, bucket
        case siteID = "site_id"
    }
}
