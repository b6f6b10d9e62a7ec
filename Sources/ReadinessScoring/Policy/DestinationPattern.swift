/// Where a policy rule looks: a host pattern, an exact host, an IPv4/IPv6 CIDR, or any host.
///
/// readiness-policy.md: "`*.example.com` matches any sub-domain, not the apex". Patterns are
/// lowercased once when the policy is compiled, so matching a probe host is a byte compare.
enum DestinationPattern: Sendable, Equatable {
    /// `*`: any outbound destination (the seed's "Allow outbound TCP/UDP connections on port 443").
    case any
    /// `*.chime.aws` stored as the suffix `.chime.aws`.
    case subdomains(of: [UInt8])
    case exactHost([UInt8])
    case network(CIDRBlock)

    /// Parses a policy destination; the error message names what is wrong with it.
    static func parse(_ text: String) -> Result<DestinationPattern, PatternError> {
        if text == "*" { return .success(.any) }
        if text.contains("/") {
            do {
                return .success(.network(try CIDRBlock.parse(text)))
            } catch {
                switch error {
                case .notCIDR, .badAddress: return .failure(PatternError("is not a valid CIDR block: bad address"))
                case .badPrefix: return .failure(PatternError("is not a valid CIDR block: bad prefix length"))
                case .hostBitsSet: return .failure(PatternError("is not a valid CIDR block: host bits are set"))
                }
            }
        }
        if let address = IPAddress.parse(text) {
            let bits: Int
            switch address { case .v4: bits = 32; case .v6: bits = 128 }
            return .success(.network(CIDRBlock(network: address, prefixLength: bits)))
        }
        var name = Array(text.lowercased().utf8)
        if name.last == UInt8(ascii: ".") { name.removeLast() }
        let wildcard = name.starts(with: [UInt8(ascii: "*"), UInt8(ascii: ".")])
        let labels = wildcard ? Array(name.dropFirst(2)) : name
        guard isHostName(labels) else {
            return .failure(PatternError("is not a host name, `*.` host pattern, CIDR block or `*`"))
        }
        return .success(wildcard ? .subdomains(of: [UInt8(ascii: ".")] + labels) : .exactHost(labels))
    }

    struct PatternError: Error, Equatable {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// RFC 1123 §2.1 host names: dot-separated labels of letters, digits and inner hyphens
    /// (underscores tolerated, as in real DNS names).
    private static func isHostName(_ name: [UInt8]) -> Bool {
        guard !name.isEmpty, name.count <= 253 else { return false }
        return name.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            return label.allSatisfy { byte in
                (97...122).contains(byte) || (48...57).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
        }
    }

    /// Compares against the probe host's bytes in place: hosts are matched once per rule, so
    /// copying and lowercasing them (an allocation per probe) cost more than the compare.
    func matches(_ host: HostBytes, address: inout HostBytes.LazyAddress) -> Bool {
        switch self {
        case .any:
            return true
        case let .subdomains(suffix):
            // Strictly longer than the suffix: the apex `chime.aws` is not `*.chime.aws`.
            return host.count > suffix.count && host.hasSuffix(suffix)
        case let .exactHost(name):
            return host.equals(name)
        case let .network(block):
            guard let candidate = address.value(host) else { return false }
            return block.contains(candidate)
        }
    }

    func matches(_ host: ProbeHost) -> Bool {
        HostBytes.with(host.text) { bytes in
            var address = HostBytes.LazyAddress()
            return matches(bytes, address: &address)
        }
    }
}

/// A probe's `host` as a policy sees it: compared case-insensitively and without a trailing
/// dot. Kept for callers (and tests) that match one host against one pattern.
struct ProbeHost: Sendable {
    let text: String

    init(_ host: String) { text = host }
}
