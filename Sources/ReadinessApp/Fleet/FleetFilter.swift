import Foundation
import HTTPServer

/// The filters of `GET /v1/assessments`; they combine with AND.
struct FleetFilter: Sendable, Equatable {
    static let verdicts = ["optimal", "minimal", "not_ready", "insufficient_data", "stale"]

    var verdict: String?
    var region: String?
    var tag: String?
    var finding: String?
    var stale: Bool?

    init(verdict: String? = nil, region: String? = nil, tag: String? = nil, finding: String? = nil, stale: Bool? = nil) {
        self.verdict = verdict
        self.region = region
        self.tag = tag
        self.finding = finding
        self.stale = stale
    }

    /// Every bad parameter at once, as `/query/<name>` pointers.
    init(_ request: HTTPRequest) throws {
        var faults: [(pointer: String, detail: String)] = []
        verdict = request.query["verdict"]
        if let verdict, !Self.verdicts.contains(verdict) {
            faults.append(("/query/verdict", "must be one of \(Self.verdicts.joined(separator: ", "))"))
        }
        region = request.query["region"]
        tag = request.query["tag"]
        for (name, value) in [("region", region), ("tag", tag)] where (value?.count ?? 0) > 255 {
            faults.append(("/query/\(name)", "must be at most 255 characters"))
        }
        finding = request.query["finding"]
        if let finding, finding.isEmpty || finding.count > 64
            || !finding.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) {
            faults.append(("/query/finding", "must be a finding code such as UDP_3478_BLOCKED"))
        }
        switch request.query["stale"] {
        case nil: stale = nil
        case "true": stale = true
        case "false": stale = false
        default: faults.append(("/query/stale", "must be true or false"))
        }
        guard faults.isEmpty else { throw RequestBody.validationProblem(faults) }
    }
}
