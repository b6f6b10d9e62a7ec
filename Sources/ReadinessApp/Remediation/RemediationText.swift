import Foundation
import ReadinessScoring

/// `Accept: text/plain`: a change request an administrator pastes into a ticket. Plain words,
/// one numbered item per change under its tier and team, each with the finding codes it answers
/// and the policy's source for the threshold (the document and the words it cites).
enum RemediationText {
    static func body(_ sites: [SiteRemediation]) -> String {
        sites.map(document).joined(separator: "\n" + String(repeating: "-", count: 72) + "\n\n")
    }

    static func document(_ site: SiteRemediation) -> String {
        let request = site.request
        var lines = [
            "Network change request for site \"\(site.siteName)\" (\(site.siteID))",
            "Policy \(request.policy) version \(request.policyVersion), assessed at \(request.assessedAt), "
                + "current verdict: \(request.verdict.rawValue).",
            "",
        ]
        for (tier, changes) in [(Tier.minimal, request.minimal), (.optimal, request.optimal)] {
            lines.append("To reach the \(tier.rawValue) tier:")
            if changes.isEmpty { lines.append("  Nothing to change.") }
            for team in RemediationTeam.allCases where !changes[team].isEmpty {
                lines.append("  \(teamTitle(team)):")
                for (number, change) in changes[team].enumerated() {
                    lines.append("    \(number + 1). \(sentence(change))")
                    lines.append("       Why: \(change.why.joined(separator: ", ")) (rule \(change.ruleID)).")
                    lines.append("       Source: \(sourceWords(change.source)): \(change.citation)")
                }
            }
            lines.append("")
        }
        lines.append("To verify (no result of the site's agents decided these rules):")
        if request.toVerify.isEmpty { lines.append("  Nothing: every rule was decided.") }
        for item in request.toVerify {
            let tiers = item.tiers.map(\.rawValue).joined(separator: " and ")
            lines.append("  - \(item.code) (rule \(item.ruleID), \(tiers) tier): \(item.detail)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func teamTitle(_ team: RemediationTeam) -> String {
        switch team {
        case .firewall: return "Firewall team"
        case .proxy: return "Proxy and security gateway team"
        case .vpn: return "VPN team"
        case .tlsInspection: return "TLS inspection team"
        case .udpTimeout: return "Firewall team, UDP idle timeout"
        case .bandwidth: return "Network provider, bandwidth"
        case .dns: return "DNS team"
        case .network: return "Network team, media path quality"
        }
    }

    /// readiness-policy.md's provenance tags, said in words.
    static func sourceWords(_ source: SourceTag) -> String {
        switch source {
        case .seed: return "the vendor's network configuration document"
        case .chime: return "the Amazon Chime administration guide"
        case .derived: return "an engineering default of this service"
        }
    }

    static func sentence(_ change: RemediationChange) -> String {
        let places = change.destinations.map(describe) ?? "the destinations listed"
        switch change.action {
        case .allowOutbound:
            return "Allow outbound \(change.protocol?.uppercased() ?? "") port \(change.port.map(String.init) ?? "") to \(places)."
        case .sendDirect:
            return "Send traffic to \(places) direct, not through the proxy. no_proxy: \(change.noProxy ?? ""). "
                + "PAC: \(change.pac ?? "")"
        case .allowThroughGateway:
            let kind = change.protocol == "websocket" ? "WebSocket (TCP 443)" : "WebRTC"
            return "Let \(kind) traffic to \(places) through the security gateway."
        case .excludeFromTunnel:
            return "Exclude \(places) from the VPN tunnel (split-tunnel routes)."
        case .exemptFromInspection:
            return "Exempt \(places) from TLS inspection."
        case .setIdleTimeout:
            let measured = change.measured.map { "; the agents saw a binding survive \(RemediationCSV.number($0) ?? "") s at most" } ?? ""
            return "Set the firewall's UDP idle timeout to at least \(RemediationCSV.number(change.value) ?? "") s "
                + "(longer than the site's longest call\(measured))."
        case .addBandwidth:
            let users = change.users.map(String.init) ?? "the expected"
            return "Add \(RemediationCSV.number(change.upKbps) ?? "0") kbit/s upstream and "
                + "\(RemediationCSV.number(change.downKbps) ?? "0") kbit/s downstream for \(users) concurrent users."
        case .makeResolvable:
            return "Make the site's DNS resolvers answer for \(places)."
        case .improvePath:
            let limit = "\(change.comparison.map(comparisonWords) ?? "within") \(RemediationCSV.number(change.value) ?? "") \(change.unit ?? "")"
            let measured = change.measured.map { " (measured \(RemediationCSV.number($0) ?? "") \(change.unit ?? ""))" } ?? ""
            return "Bring \(metricWords(change.kind)) towards \(places) \(limit)\(measured)."
        }
    }

    private static func comparisonWords(_ comparison: Comparison) -> String {
        switch comparison {
        case .lt: return "below"
        case .le: return "to at most"
        case .gt: return "above"
        case .ge: return "to at least"
        }
    }

    private static func metricWords(_ kind: RuleKind) -> String {
        switch kind {
        case .rtt: return "the round trip time"
        case .jitter: return "the jitter"
        case .loss: return "the packet loss"
        default: return "the measured \(kind.rawValue)"
        }
    }

    /// "any destination", or "hosts matching *.a, the hosts b and the networks 10.0.0.0/8".
    static func describe(_ destinations: Destinations) -> String {
        if destinations.any { return "any destination" }
        var parts: [String] = []
        if !destinations.hostPatterns.isEmpty { parts.append("hosts matching " + destinations.hostPatterns.joined(separator: ", ")) }
        if !destinations.exactHosts.isEmpty { parts.append("the hosts " + destinations.exactHosts.joined(separator: ", ")) }
        if !destinations.cidrs.isEmpty { parts.append("the networks " + destinations.cidrs.joined(separator: ", ")) }
        return parts.isEmpty ? "no destination" : parts.joined(separator: "; ")
    }
}
