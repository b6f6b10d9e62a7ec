/// What kind of IP address a webhook destination resolved to: only `global` ones may be sent
/// to unless `READINESS_WEBHOOK_ALLOW_PRIVATE` is set. Pure: bytes in, class out, so the
/// subscription check at creation and the delivery's check of the address it connects to
/// (a name may resolve elsewhere by then) decide the same way.
///
/// Sources: the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its
/// updates), and the clouds' documented instance metadata endpoints.
enum DestinationAddressClass: String, Sendable, CaseIterable {
    /// Anything not below: a destination on the internet.
    case global
    /// 0.0.0.0/8 ("this network", RFC 791), `::` (RFC 4291 §2.5.2).
    case unspecified
    /// 127.0.0.0/8 (RFC 1122), `::1` (RFC 4291 §2.5.3).
    case loopback
    /// 10/8, 172.16/12, 192.168/16 (RFC 1918), 100.64/10 (shared, RFC 6598), fc00::/7 (unique
    /// local, RFC 4193), fec0::/10 (site-local, deprecated by RFC 3879), 64:ff9b:1::/48 (local
    /// NAT64, RFC 8215).
    case privateUse = "private"
    /// 169.254/16 (RFC 3927), fe80::/10 (RFC 4291 §2.5.6).
    case linkLocal = "link_local"
    /// Instance metadata services, which hand out credentials: 169.254.169.254 (AWS, Azure,
    /// Google Cloud, OpenStack), 169.254.170.2 (AWS ECS task metadata), 100.100.100.200
    /// (Alibaba Cloud), 192.0.0.192 (Oracle Cloud), fd00:ec2::254 (AWS over IPv6).
    case metadata
    /// 224/4, ff00::/8.
    case multicast
    /// Documentation, benchmarking, protocol assignments and the rest of the registries:
    /// 192.0.0/24, 192.0.2/24, 198.18/15, 198.51.100/24, 203.0.113/24, 240/4 (with the
    /// broadcast address), 100::/64 (discard), 2001::/23 (IETF protocols, Teredo among them),
    /// 2001:db8::/32, 3fff::/20 (documentation).
    case reserved

    /// Words for a refusal: "169.254.169.254 is a metadata address".
    var phrase: String {
        switch self {
        case .global: return "a public address"
        case .unspecified: return "an unspecified address"
        case .loopback: return "a loopback address"
        case .privateUse: return "a private address"
        case .linkLocal: return "a link-local address"
        case .metadata: return "a cloud metadata address"
        case .multicast: return "a multicast address"
        case .reserved: return "a reserved address"
        }
    }

    /// 4 bytes (IPv4) or 16 (IPv6), network order; any other length is `reserved`. IPv6
    /// forms that carry an IPv4 address (mapped, compatible, NAT64's well-known prefix, 6to4)
    /// are judged by that address.
    init(ipBytes bytes: [UInt8]) {
        switch bytes.count {
        case 4: self = Self.ipv4(bytes[0], bytes[1], bytes[2], bytes[3])
        case 16: self = Self.ipv6(bytes)
        default: self = .reserved
        }
    }

    private static func ipv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> DestinationAddressClass {
        switch (a, b, c, d) {
        case (169, 254, 169, 254), (169, 254, 170, 2), (100, 100, 100, 200), (192, 0, 0, 192): return .metadata
        case (0, _, _, _): return .unspecified
        case (127, _, _, _): return .loopback
        case (10, _, _, _), (172, 16...31, _, _), (192, 168, _, _), (100, 64...127, _, _): return .privateUse
        case (169, 254, _, _): return .linkLocal
        case (224...239, _, _, _): return .multicast
        case (192, 0, 0, _), (192, 0, 2, _), (198, 18...19, _, _), (198, 51, 100, _), (203, 0, 113, _), (240...255, _, _, _):
            return .reserved
        default: return .global
        }
    }

    private static func ipv6(_ b: [UInt8]) -> DestinationAddressClass {
        let zeros = { (range: Range<Int>) in range.allSatisfy { b[$0] == 0 } }
        if zeros(0..<15) { return b[15] == 1 ? .loopback : b[15] == 0 ? .unspecified : .reserved }
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated): the IPv4 address.
        if zeros(0..<10), b[10] == 0xff, b[11] == 0xff { return ipv4(b[12], b[13], b[14], b[15]) }
        if zeros(0..<12) { return ipv4(b[12], b[13], b[14], b[15]) }
        // fd00:ec2::254
        if b[0] == 0xfd, b[1] == 0x00, b[2] == 0x0e, b[3] == 0xc2, zeros(4..<14), b[14] == 0x02, b[15] == 0x54 { return .metadata }
        // 64:ff9b::/96 (RFC 6052) translates to the IPv4 address in its last 4 bytes.
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xff, b[3] == 0x9b, zeros(4..<12) { return ipv4(b[12], b[13], b[14], b[15]) }
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xff, b[3] == 0x9b, b[4] == 0x00, b[5] == 0x01 { return .privateUse }
        // 2002::/16 (6to4, RFC 3056) carries its IPv4 address in bytes 2...5.
        if b[0] == 0x20, b[1] == 0x02 { return ipv4(b[2], b[3], b[4], b[5]) }
        if b[0] & 0xfe == 0xfc { return .privateUse }
        if b[0] == 0xfe, b[1] & 0xc0 == 0x80 { return .linkLocal }
        if b[0] == 0xfe, b[1] & 0xc0 == 0xc0 { return .privateUse }
        if b[0] == 0xff { return .multicast }
        if b[0] == 0x01, b[1] == 0x00, zeros(2..<8) { return .reserved }
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0d, b[3] == 0xb8 { return .reserved }
        if b[0] == 0x20, b[1] == 0x01, b[2] & 0xfe == 0x00 { return .reserved }
        if b[0] == 0x3f, b[1] == 0xff, b[2] & 0xf0 == 0x00 { return .reserved }
        return .global
    }
}
