import Foundation
import HTTPServer
import ReadinessScoring

/// `Accept: text/csv` for a preview: the page of changed sites, one a row, in the fleet
/// listing's CSV dialect (`FleetCSV`: RFC 4180, a header row, empty cells for nulls).
/// `changed_findings` lists `CODE:before>after` separated by `;`, each side a status with the
/// tier it blocks after `@` (`RTT_HIGH:fail@optimal>fail@minimal`); an absent side is empty.
enum PreviewCSV {
    static let header = [
        "site_id", "site_name", "region", "verdict_before", "verdict_after", "score_before", "score_after", "changed_findings",
    ]

    static func body(_ sites: [PreviewedSite]) -> String {
        var lines = [header.joined(separator: ",")]
        for site in sites {
            func side(_ status: FindingStatus?, _ blocks: Tier?) -> String {
                (status?.rawValue ?? "") + (blocks.map { "@" + $0.rawValue } ?? "")
            }
            let findings = site.findings.map { "\($0.code):\(side($0.before, $0.blocksBefore))>\(side($0.after, $0.blocksAfter))" }
            let cells: [String?] = [
                site.siteID.uuidString.lowercased(), site.siteName, site.region, site.before.verdict.rawValue,
                site.after.verdict.rawValue, site.before.score.map(String.init), site.after.score.map(String.init),
                findings.joined(separator: ";"),
            ]
            lines.append(cells.map { FleetCSV.field($0 ?? "") }.joined(separator: ","))
        }
        return lines.map { $0 + "\r\n" }.joined()
    }
}
