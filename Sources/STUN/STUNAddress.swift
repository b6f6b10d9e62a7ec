/// A transport address carried by MAPPED-ADDRESS and XOR-MAPPED-ADDRESS (RFC 8489 §14.1, §14.2).
public struct STUNAddress: Sendable, Equatable, Hashable {
    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    public var ip: [UInt8]
    public var port: UInt16

    /// Nil unless `ip` holds 4 or 16 bytes.
    public init?(ip: [UInt8], port: UInt16) {
        guard ip.count == 4 || ip.count == 16 else { return nil }
        self.ip = ip
        self.port = port
    }

    public var isIPv6: Bool { ip.count == 16 }

    /// The address family code on the wire (RFC 8489 §14.1): 0x01 IPv4, 0x02 IPv6.
    var familyCode: UInt8 { isIPv6 ? 0x02 : 0x01 }

    /// Dotted quad for IPv4, RFC 5952 text for IPv6.
    public var ipString: String {
        isIPv6 ? IPv6Text.format(ip) : ip.map(String.init).joined(separator: ".")
    }
}

/// RFC 5952 §4 canonical IPv6 text: lower-case hex without leading zeros, the longest run of
/// two or more zero groups (the first on a tie) shortened to `::`, and §5's dotted tail for
/// IPv4-mapped addresses.
enum IPv6Text {
    static func format(_ bytes: [UInt8]) -> String {
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xFFFF {
            return "::ffff:" + bytes[12...].map(String.init).joined(separator: ".")
        }
        let run = longestZeroRun(groups)
        let hex = groups.map { String($0, radix: 16) }
        guard let run else { return hex.joined(separator: ":") }
        let head = hex[..<run.lowerBound].joined(separator: ":")
        let tail = hex[run.upperBound...].joined(separator: ":")
        return head + "::" + tail
    }

    /// The first longest run of at least two zero groups (§4.2.2: one zero group stays `0`).
    private static func longestZeroRun(_ groups: [UInt16]) -> Range<Int>? {
        var best: Range<Int>?
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < groups.count && groups[end] == 0 { end += 1 }
            if end - index >= 2 && end - index > (best?.count ?? 0) { best = index..<end }
            index = end
        }
        return best
    }
}
