import JSON
import Foundation
import HTTPServer

/// `Accept: text/csv` for the fleet listing: RFC 4180 (CRLF line ends, a header row, fields
/// with a comma, quote, CR or LF quoted and their quotes doubled), UTF-8, empty cells for nulls.
enum FleetCSV {
    static let header = ["site_id", "site_name", "region", "verdict", "score", "mos", "transport", "finding_codes", "newest_result_at"]

    /// Whether the client prefers CSV: `text/csv` listed in Accept (q-values are not weighed;
    /// a client that lists it asks for it).
    static func isRequested(_ request: HTTPRequest) -> Bool {
        guard let accept = request.headers["accept"] else { return false }
        return accept.split(separator: ",").contains { range in
            range.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "text/csv"
        }
    }

    static func body(_ rows: [FleetAssessment]) -> String {
        var lines = [header.joined(separator: ",")]
        for row in rows {
            let cells: [String?] = [
                row.siteID, row.siteName, row.region, row.verdict, row.score.map(String.init),
                row.mos.map { String($0) }, row.transport, row.findingCodes.joined(separator: ";"),
                row.newestResultAt.map(RFC3339Timestamp.format),
            ]
            lines.append(cells.map { field($0 ?? "") }.joined(separator: ","))
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// RFC 4180 §2 rules 6 and 7.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The page as CSV with the same `Link` header as the JSON form.
    static func response(_ page: Page<FleetAssessment>, for request: HTTPRequest) throws -> HTTPResponse {
        var response = try page.response(for: request)
        response.body = Array(body(page.items).utf8)
        response.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
        return response
    }
}
