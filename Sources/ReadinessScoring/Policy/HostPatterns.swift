/// A rule's destinations compiled once for matching probe hosts (`RulePlan`): every host
/// name pattern's bytes in one array, addressed by ranges, and the CIDR blocks apart.
///
/// Matching walked `[DestinationPattern]`, binding each case's `[UInt8]` payload (a retain
/// and a release per pattern per probe host) and comparing byte by byte; here the names are
/// read through one buffer and compared eight bytes at a time (`HostBytes.equalsLowered`).
struct HostPatterns: Sendable {
    /// `*`: every host matches, so hosts need not be read.
    let matchesAnyHost: Bool
    /// The bytes of every `*.` suffix (with its leading dot) and exact host, one after another.
    private let names: [UInt8]
    private let suffixes: [Range<Int>]
    private let exactHosts: [Range<Int>]
    private let networks: [CIDRBlock]

    init(_ patterns: [DestinationPattern]) {
        var names: [UInt8] = []
        var suffixes: [Range<Int>] = []
        var exactHosts: [Range<Int>] = []
        var networks: [CIDRBlock] = []
        var matchesAnyHost = false
        for pattern in patterns {
            switch pattern {
            case .any:
                matchesAnyHost = true
            case let .subdomains(suffix):
                suffixes.append(names.count..<(names.count + suffix.count))
                names += suffix
            case let .exactHost(name):
                exactHosts.append(names.count..<(names.count + name.count))
                names += name
            case let .network(block):
                networks.append(block)
            }
        }
        self.matchesAnyHost = matchesAnyHost
        self.names = names
        self.suffixes = suffixes
        self.exactHosts = exactHosts
        self.networks = networks
    }

    /// Whether `host` is one of the destinations: the same answer as asking each
    /// `DestinationPattern` in turn.
    func matches(_ host: HostBytes) -> Bool {
        if matchesAnyHost { return true }
        let named = names.withUnsafeBufferPointer { names in
            for range in suffixes {
                // Strictly longer than the suffix: the apex `chime.aws` is not `*.chime.aws`.
                if host.count > range.count,
                   host.equalsLowered(at: host.count - range.count, UnsafeBufferPointer(rebasing: names[range])) { return true }
            }
            for range in exactHosts where host.count == range.count {
                if host.equalsLowered(at: 0, UnsafeBufferPointer(rebasing: names[range])) { return true }
            }
            return false
        }
        if named { return true }
        guard !networks.isEmpty, let address = host.parseAddress() else { return false }
        for block in networks where block.contains(address) { return true }
        return false
    }
}
