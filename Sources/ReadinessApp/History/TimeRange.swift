import JSON
import Foundation
import HTTPServer

/// The `from`/`to` window of the history operations: RFC 3339, `from` inclusive, `to`
/// exclusive, default the 30 days before now, at most 400 days (openapi `From`/`To`).
struct TimeRange: Sendable, Equatable {
    static let defaultSpan: TimeInterval = 30 * 86_400
    static let maximumSpan: TimeInterval = 400 * 86_400

    let from: Date
    let to: Date

    init(from: Date, to: Date) {
        self.from = from
        self.to = to
    }

    /// Every fault at once, named `/query/<parameter>` like the pagination parameters.
    init(_ request: HTTPRequest, now: Date) throws {
        var faults: [(pointer: String, detail: String)] = []
        func parse(_ name: String) -> Date? {
            guard let text = request.query[name] else { return nil }
            guard let date = RFC3339Timestamp.parse(text) else {
                faults.append(("/query/\(name)", "must be an RFC 3339 date-time, e.g. 2026-11-24T00:00:00Z"))
                return nil
            }
            return date
        }
        let to = parse("to") ?? now
        let from = parse("from") ?? to.addingTimeInterval(-Self.defaultSpan)
        if faults.isEmpty {
            if from >= to {
                faults.append(("/query/from", "must be before to"))
            } else if to.timeIntervalSince(from) > Self.maximumSpan {
                faults.append(("/query/from", "must be at most 400 days before to"))
            }
        }
        guard faults.isEmpty else { throw RequestBody.validationProblem(faults) }
        self.from = from
        self.to = to
    }
}

/// How history is downsampled: one point per result, per UTC hour or per UTC day.
enum HistoryBucket: String, Sendable, Encodable, CaseIterable {
    case raw, hour, day

    /// The bucket width as a PostgreSQL interval literal for `date_bin`; nil for raw.
    var interval: String? {
        switch self {
        case .raw: nil
        case .hour: "1 hour"
        case .day: "1 day"
        }
    }

    static func parse(_ request: HTTPRequest, allowed: [HistoryBucket] = allCases) throws -> HistoryBucket {
        guard let text = request.query["bucket"] else { return .day }
        guard let bucket = HistoryBucket(rawValue: text), allowed.contains(bucket) else {
            let names = allowed.map(\.rawValue).joined(separator: ", ")
            throw RequestBody.validationProblem([("/query/bucket", "must be one of \(names)")])
        }
        return bucket
    }
}
