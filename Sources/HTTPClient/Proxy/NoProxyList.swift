import Foundation

/// `no_proxy` as curl and most tools read it: comma-separated entries, each a host name that
/// also covers its sub-domains (`example.com` and `.example.com` both match
/// `www.example.com`), an IP address, an IPv4 CIDR block, or `*` for everything. A `:port`
/// suffix on an entry is ignored, as the agent asks about hosts, not ports.
public struct NoProxyList: Sendable, Equatable {
    let entries: [String]

    public init(_ text: String?) {
        entries = (text ?? "").split(separator: ",").compactMap { raw in
            var entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if entry.hasPrefix("*.") { entry.removeFirst(2) }
            while entry.hasPrefix(".") { entry.removeFirst() }
            if !entry.hasPrefix("["), !entry.contains("/"), entry.filter({ $0 == ":" }).count == 1,
               let colon = entry.firstIndex(of: ":") {
                entry = String(entry[..<colon])
            }
            if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
                entry = String(entry[entry.index(after: entry.startIndex)..<close])
            }
            return entry.isEmpty ? nil : entry
        }
    }

    /// Whether `host` bypasses the proxy.
    public func excludes(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return entries.contains { entry in
            if entry == "*" || entry == name { return true }
            if entry.contains("/") { return Self.ipv4(name, isIn: entry) }
            return name.hasSuffix("." + entry)
        }
    }

    private static func ipv4(_ host: String, isIn block: String) -> Bool {
        let parts = block.split(separator: "/")
        guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits),
              let network = ipv4Value(String(parts[0])), let address = ipv4Value(host)
        else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - UInt32(bits))
        return network & mask == address & mask
    }

    private static func ipv4Value(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 <= 255 }) else { return nil }
        return octets.reduce(0) { $0 << 8 | $1 }
    }
}
