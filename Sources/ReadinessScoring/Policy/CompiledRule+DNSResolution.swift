extension CompiledRule {
    /// The rule every policy ends with: the site's resolvers answer for the hosts the agents
    /// probe. A probe whose host never resolved says nothing about the port it was sent to, so
    /// route rules leave it out (a resolver fault is not a blocked port) and this rule reports
    /// it instead, naming the hosts. It gates both tiers: a client that cannot resolve the
    /// application's hosts cannot use it, whatever the firewall allows.
    static let dnsResolution: CompiledRule = {
        let citation = "Derived: a name that does not resolve leaves the client nothing to connect to; "
            + "probe-result/v1 reachability[].error \"dns\""
        let tiers = Tier.allCases.map { tier in
            CompiledTier(tier: tier, onBreach: .fail, comparison: nil, value: nil, atLeastLongestCall: false,
                         profile: nil, source: .derived, citation: citation)
        }
        return CompiledRule(
            id: "dns-resolution", code: "DNS_RESOLUTION_FAILED", kind: .dns, source: .derived, citation: citation,
            remediation: "Make the site's DNS resolvers answer for the hosts listed: check the resolvers the "
                + "clients use (DHCP, VPN), and any DNS filtering (a security gateway, a filtering resolver, "
                + "a blocklist) that refuses or rewrites these names.",
            tiers: tiers, routeProtocol: nil, routePort: nil, destinations: [], headroom: 1
        )
    }()
}
