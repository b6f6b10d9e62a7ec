import Foundation
import HTTPServer
import ReadinessScoring

/// The query parameters of `GET /v1/sites`; they combine with AND. A malformed one is a 400
/// naming it (the OpenAPI document: "a query or path parameter is malformed").
struct SiteListFilter: Sendable {
    var region: String?
    var tag: String?
    var verdict: Verdict?
    var stale: Bool?
    var includeArchived = false

    init(_ query: QueryParameters) throws {
        var faults: [(pointer: String, detail: String)] = []
        func text(_ name: String) -> String? {
            guard let value = query[name] else { return nil }
            guard (1...255).contains(value.unicodeScalars.count) else {
                faults.append(("/query/\(name)", "must be 1 to 255 characters long"))
                return nil
            }
            return value
        }
        func flag(_ name: String) -> Bool? {
            guard let value = query[name] else { return nil }
            switch value {
            case "true": return true
            case "false": return false
            default:
                faults.append(("/query/\(name)", "must be true or false"))
                return nil
            }
        }
        region = text("region")
        tag = text("tag")
        if let value = query["verdict"] {
            verdict = Verdict(rawValue: value)
            if verdict == nil {
                let names = Verdict.allCases.map(\.rawValue).joined(separator: ", ")
                faults.append(("/query/verdict", "must be one of \(names)"))
            }
        }
        stale = flag("stale")
        includeArchived = flag("include_archived") ?? false
        guard faults.isEmpty else { throw RequestBody.validationProblem(faults) }
    }
}
