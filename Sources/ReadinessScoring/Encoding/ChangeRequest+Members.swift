import JSON

// A change request's parts as members of the API's `SiteRemediation` document, declared once:
// the app writes the request's own members beside the site's. A change's members that do not
// apply to its action are left out, never null (openapi `RemediationChange`).

extension TeamChanges: JSONObject {
    public static let members: JSONMembers<TeamChanges> = [
        JSONMember("firewall", \.firewall),
        JSONMember("proxy", \.proxy),
        JSONMember("vpn", \.vpn),
        JSONMember("tls_inspection", \.tlsInspection),
        JSONMember("udp_timeout", \.udpTimeout),
        JSONMember("bandwidth", \.bandwidth),
        JSONMember("dns", \.dns),
        JSONMember("network", \.network),
    ]
}

extension RemediationChange: JSONObject {
    public static let members: JSONMembers<RemediationChange> = [
        JSONMember("tier") { $0.tier.rawValue },
        JSONMember("team") { $0.team.rawValue },
        JSONMember("action") { $0.action.rawValue },
        JSONMember("rule_id", \.ruleID),
        JSONMember("kind") { $0.kind.rawValue },
        JSONMember("why", \.why),
        .omittedWhenNil("protocol", \.protocol),
        .omittedWhenNil("port", \.port),
        .omittedWhenNil("destinations", \.destinations),
        .omittedWhenNil("value", \.value),
        .omittedWhenNil("comparison") { $0.comparison?.rawValue },
        .omittedWhenNil("unit", \.unit),
        .omittedWhenNil("measured", \.measured),
        .omittedWhenNil("up_kbps", \.upKbps),
        .omittedWhenNil("down_kbps", \.downKbps),
        .omittedWhenNil("users", \.users),
        .omittedWhenNil("no_proxy", \.noProxy),
        .omittedWhenNil("pac", \.pac),
        JSONMember("source") { $0.source.rawValue },
        JSONMember("citation", \.citation),
    ]
}

extension Destinations: JSONObject {
    public static let members: JSONMembers<Destinations> = [
        JSONMember("any", \.any),
        JSONMember("host_patterns", \.hostPatterns),
        JSONMember("exact_hosts", \.exactHosts),
        JSONMember("cidrs", \.cidrs),
    ]
}

extension Verification: JSONObject {
    public static let members: JSONMembers<Verification> = [
        JSONMember("rule_id", \.ruleID),
        JSONMember("code", \.code),
        JSONMember("kind") { $0.kind.rawValue },
        JSONMember("tiers") { $0.tiers.map(\.rawValue) },
        JSONMember("probe", \.probe),
        JSONMember("detail", \.detail),
        JSONMember("source") { $0.source.rawValue },
        JSONMember("citation", \.citation),
    ]
}
