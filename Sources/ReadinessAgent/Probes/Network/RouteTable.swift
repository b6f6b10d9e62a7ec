import Foundation

/// The default route's interface, read from `/proc/net/route` (Linux) or `ip route` output.
public enum RouteTable {
    /// `/proc/net/route`: a header line, then `Iface Destination Gateway Flags RefCnt Use
    /// Metric Mask …` with hex addresses. The default route has destination and mask 0; with
    /// several, the lowest metric wins, as the kernel picks it.
    public static func defaultInterface(procNetRoute text: String) -> String? {
        var best: (interface: String, metric: Int)?
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 8, fields[1] == "00000000", fields[7] == "00000000",
                  let flags = Int(fields[3], radix: 16), flags & 0x1 != 0,  // RTF_UP
                  let metric = Int(fields[6])
            else { continue }
            if metric < best?.metric ?? Int.max { best = (String(fields[0]), metric) }
        }
        return best?.interface
    }

    /// `ip route show default` output: `default via 192.0.2.1 dev eth0 proto dhcp metric 100`.
    public static func defaultInterface(ipRoute text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix("default") {
            let words = line.split(separator: " ")
            if let dev = words.firstIndex(of: "dev"), dev + 1 < words.count { return String(words[dev + 1]) }
        }
        return nil
    }

    /// Whether an interface is a tunnel: by the names VPN software gives them (tun, tap,
    /// WireGuard's wg, ppp, ipsec, macOS utun) or by ARPHRD_NONE (65534, `/sys/class/net/IF/type`),
    /// the link type of layer-3 tunnels.
    public static func isTunnel(name: String, linkType: Int?) -> Bool {
        let prefixes = ["tun", "tap", "wg", "ppp", "ipsec", "utun", "vpn"]
        return prefixes.contains { name.hasPrefix($0) } || linkType == 65534
    }
}
