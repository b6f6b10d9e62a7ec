import JSON
import Foundation
import HTTPServer
import ReadinessContract
import ReadinessScoring

/// The body of `POST /v1/policies/{name}/evaluate` (openapi `EvaluateRequest`): a result,
/// validated exactly as an upload with its pointers under `/result`, and optional site
/// parameters. Walked as a JSON tree so every fault is reported at once.
struct EvaluateRequest: Sendable {
    var result: ProbeResult
    var site: SiteParameters

    static let defaultSite = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)

    init(_ request: HTTPRequest, now: Date) throws {
        let root = try RequestBody.json(request)
        guard case let .object(members) = root else {
            throw RequestBody.validationProblem([("", "must be an object")])
        }
        var faults: [(pointer: String, detail: String)] = []
        // additionalProperties: false, unlike the probe result itself.
        for member in members where member.key != "result" && member.key != "site" {
            faults.append(("/" + member.key, "is not a member of an evaluate request"))
        }
        var site = Self.defaultSite
        if let value = root["site"] { site = Self.site(value, faults: &faults) }
        var result: ProbeResult?
        switch root["result"] {
        case nil:
            faults.append(("/result", "is required"))
        case let value? where value["schema"] == nil || value["results"] != nil:
            // Without `schema` the upload decoder would read `{"results": …}` as a batch.
            if case .object = value { faults.append(("/result/schema", "is required")) } else { faults.append(("/result", "must be an object")) }
        case let value?:
            switch ProbeResultDecoder.decode(value, now: now) {
            case let .success(upload): result = upload.results.first
            case let .failure(failure): faults += failure.faults.map { ("/result" + $0.pointer, $0.message) }
            }
        }
        guard faults.isEmpty, let result else { throw RequestBody.validationProblem(faults) }
        self.result = result
        self.site = site
    }

    private static func site(_ value: JSONValue, faults: inout [(pointer: String, detail: String)]) -> SiteParameters {
        guard case let .object(members) = value else {
            faults.append(("/site", "must be an object"))
            return defaultSite
        }
        func integer(_ key: String, _ range: ClosedRange<Int>, default fallback: Int) -> Int {
            guard let member = value[key] else { return fallback }
            guard case let .number(number) = member, number.rounded() == number, range.contains(Int(exactly: number) ?? Int.min)
            else {
                let shown: String = if case let .number(number) = member { ", not \(number)" } else { "" }
                faults.append(("/site/\(key)", "must be a whole number between \(range.lowerBound) and \(range.upperBound)\(shown)"))
                return fallback
            }
            return Int(number)
        }
        for member in members where member.key != "expected_users" && member.key != "longest_call_s" {
            faults.append(("/site/" + member.key, "is not a site parameter"))
        }
        return SiteParameters(
            expectedConcurrentUsers: integer("expected_users", 1...1_000_000, default: 10),
            longestCallS: Double(integer("longest_call_s", 1...604_800, default: 3600)))
    }
}
