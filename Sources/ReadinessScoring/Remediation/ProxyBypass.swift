/// A proxy's two ways of sending destinations direct: a `no_proxy` value and a PAC condition.
public enum ProxyBypass {
    /// Comma-separated, as curl, wget and most runtimes read `no_proxy`: a leading dot for
    /// sub-domains (`*.chime.aws` → `.chime.aws`), hosts as they are, CIDR blocks as they are
    /// (honoured by curl 7.86+, Go and Python; ignored by tools that do not know them).
    public static func noProxy(_ destinations: Destinations) -> String {
        (destinations.hostPatterns.map { String($0.dropFirst()) } + destinations.exactHosts + destinations.cidrs)
            .joined(separator: ",")
    }

    /// A condition to paste into `FindProxyForURL`: `if (…) return "DIRECT";`. `shExpMatch`
    /// with `*.x` matches sub-domains only, as the policy means; `isInNet` takes IPv4 blocks as
    /// address and mask, `isInNetEx` (Microsoft's IPv6 extension) takes IPv6 blocks as written.
    public static func pacCondition(_ destinations: Destinations) -> String {
        var tests: [String] = destinations.hostPatterns.map { "shExpMatch(host, \"\($0)\")" }
        tests += destinations.exactHosts.map { "host == \"\($0)\"" }
        for block in destinations.cidrs {
            let parts = block.split(separator: "/")
            if parts.count == 2, !parts[0].contains(":"), let prefix = Int(parts[1]) {
                tests.append("isInNet(host, \"\(parts[0])\", \"\(ipv4Mask(prefix))\")")
            } else {
                tests.append("isInNetEx(host, \"\(block)\")")
            }
        }
        guard !tests.isEmpty else { return "" }
        return "if (" + tests.joined(separator: " || ") + ") return \"DIRECT\";"
    }

    /// `18` → `255.255.192.0`.
    static func ipv4Mask(_ prefix: Int) -> String {
        let bits: UInt32 = prefix <= 0 ? 0 : prefix >= 32 ? .max : ~(UInt32.max >> UInt32(prefix))
        return (0..<4).map { String((bits >> UInt32(24 - 8 * $0)) & 0xFF) }.joined(separator: ".")
    }
}
