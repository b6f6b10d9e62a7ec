/// An IPv4 or IPv6 network in CIDR notation (RFC 4632 §3.1, RFC 4291 §2.3).
struct CIDRBlock: Sendable, Equatable {
    let network: IPAddress
    let prefixLength: Int

    enum ParseError: Error, Equatable {
        case notCIDR, badAddress, badPrefix, hostBitsSet
    }

    /// Parses `a.b.c.d/n` or `x:y::/n`. Host bits must be zero: `99.77.128.1/18` is almost
    /// always a typo, and a policy should say what it means.
    static func parse(_ text: String) throws(ParseError) -> CIDRBlock {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .notCIDR }
        guard let address = IPAddress.parse(String(parts[0])) else { throw .badAddress }
        let bits: Int
        switch address { case .v4: bits = 32; case .v6: bits = 128 }
        guard let prefix = Int(parts[1]), (0...bits).contains(prefix), parts[1].allSatisfy(\.isASCII) else { throw .badPrefix }
        let block = CIDRBlock(network: address, prefixLength: prefix)
        guard block.masked(address) == address else { throw .hostBitsSet }
        return block
    }

    func contains(_ candidate: IPAddress) -> Bool {
        masked(candidate) == network || masked(candidate.unmapped) == network
    }

    /// The address with its host bits cleared, or nil when the families differ.
    private func masked(_ address: IPAddress) -> IPAddress? {
        switch (network, address) {
        case let (.v4, .v4(value)):
            let mask: UInt32 = prefixLength == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefixLength)
            return .v4(value & mask)
        case let (.v6, .v6(high, low)):
            let highMask: UInt64 = prefixLength >= 64 ? ~0 : (prefixLength == 0 ? 0 : ~UInt64(0) << UInt64(64 - prefixLength))
            let lowBits = prefixLength - 64
            let lowMask: UInt64 = lowBits <= 0 ? 0 : (lowBits >= 64 ? ~0 : ~UInt64(0) << UInt64(64 - lowBits))
            return .v6(high: high & highMask, low: low & lowMask)
        default:
            return nil
        }
    }
}
