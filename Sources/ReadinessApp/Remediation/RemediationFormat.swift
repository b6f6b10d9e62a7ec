import Foundation
import HTTPServer

/// The three forms of a change request, chosen by Accept (RFC 9110 §12.5.1): the media range
/// that matches a form most specifically gives its quality; the highest quality wins, and a tie
/// goes to the more specific match, then to JSON, CSV, text in that order. No Accept is JSON.
enum RemediationFormat: String, CaseIterable, Sendable {
    case json = "application/json"
    case csv = "text/csv"
    case text = "text/plain"

    static func negotiate(_ accept: String?) -> RemediationFormat? {
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return .json }
        let ranges = accept.split(separator: ",").compactMap(MediaRange.init)
        var best: (format: RemediationFormat, quality: Double, specificity: Int)?
        for format in allCases {
            let matches = ranges.compactMap { range in range.specificity(for: format.rawValue).map { ($0, range.quality) } }
            guard let match = matches.max(by: { $0.0 < $1.0 }), match.1 > 0 else { continue }
            if let current = best, match.1 < current.quality || (match.1 == current.quality && match.0 <= current.specificity) {
                continue
            }
            best = (format, match.1, match.0)
        }
        return best?.format
    }

    static let supported = allCases.map(\.rawValue).joined(separator: ", ")

    /// The response's Content-Type: CSV says it has a header row (RFC 4180 §3).
    var contentType: String {
        switch self {
        case .json: return "application/json"
        case .csv: return "text/csv; charset=utf-8; header=present"
        case .text: return "text/plain; charset=utf-8"
        }
    }

    /// 406 naming the forms there are.
    static var notAcceptable: HTTPError {
        HTTPError(status: HTTPStatus(code: 406, reasonPhrase: "Not Acceptable"),
                  detail: "this resource is served as \(supported)", problem: ProblemTypes.notAcceptable)
    }
}

/// One element of Accept: `type/subtype;q=…` (parameters other than q are ignored).
private struct MediaRange {
    let type: Substring
    let subtype: Substring
    let quality: Double

    init?(_ element: Substring) {
        let parts = element.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let range = parts.first else { return nil }
        let names = range.lowercased().split(separator: "/")
        guard names.count == 2 else { return nil }
        type = names[0]
        subtype = names[1]
        var quality = 1.0
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "q" {
                quality = Double(pair[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        self.quality = quality
    }

    /// 2 for an exact match, 1 for `type/*`, 0 for `*/*`, nil when the range does not cover it.
    func specificity(for mediaType: String) -> Int? {
        let names = mediaType.split(separator: "/")
        if type == "*" && subtype == "*" { return 0 }
        guard type == names[0] else { return nil }
        if subtype == "*" { return 1 }
        return subtype == names[1] ? 2 : nil
    }
}
