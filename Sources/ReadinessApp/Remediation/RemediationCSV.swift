import Foundation
import ReadinessScoring

/// `Accept: text/csv`: one change (or one rule to verify) a row, RFC 4180 as ``FleetCSV``
/// writes it. Lists inside a cell (`why`, destinations, `tiers`) are joined with spaces: host
/// patterns, CIDR blocks and finding codes never contain one.
enum RemediationCSV {
    static let header = [
        "site_id", "site_name", "section", "tier", "team", "action", "rule_id", "kind", "why", "protocol", "port",
        "any_destination", "host_patterns", "exact_hosts", "cidrs", "value", "comparison", "unit", "measured",
        "up_kbps", "down_kbps", "users", "probe", "source", "citation",
    ]

    static func body(_ sites: [SiteRemediation]) -> String {
        var lines = [header.joined(separator: ",")]
        for site in sites {
            for change in site.request.changes { lines.append(row(site, change)) }
            for item in site.request.toVerify { lines.append(row(site, item)) }
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    private static func row(_ site: SiteRemediation, _ change: RemediationChange) -> String {
        let destinations = change.destinations
        let cells: [String?] = [
            site.siteID, site.siteName, "change", change.tier.rawValue, change.team.rawValue, change.action.rawValue,
            change.ruleID, change.kind.rawValue, change.why.joined(separator: " "), change.protocol, change.port.map(String.init),
            destinations.map { $0.any ? "true" : "false" }, destinations?.hostPatterns.joined(separator: " "),
            destinations?.exactHosts.joined(separator: " "), destinations?.cidrs.joined(separator: " "),
            number(change.value), change.comparison?.rawValue, change.unit, number(change.measured),
            number(change.upKbps), number(change.downKbps), change.users.map(String.init), nil,
            change.source.rawValue, change.citation,
        ]
        return cells.map { FleetCSV.field($0 ?? "") }.joined(separator: ",")
    }

    private static func row(_ site: SiteRemediation, _ item: Verification) -> String {
        let cells: [String?] = [
            site.siteID, site.siteName, "to_verify", item.tiers.map(\.rawValue).joined(separator: " "), nil, nil,
            item.ruleID, item.kind.rawValue, item.code, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, item.probe,
            item.source.rawValue, item.citation,
        ]
        return cells.map { FleetCSV.field($0 ?? "") }.joined(separator: ",")
    }

    /// Whole numbers without a fraction (`3600`, not `3600.0`); others as Swift prints them,
    /// which reads back to the same Double.
    static func number(_ value: Double?) -> String? {
        guard let value else { return nil }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
