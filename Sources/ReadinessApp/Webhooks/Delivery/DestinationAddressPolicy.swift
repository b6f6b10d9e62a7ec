import Sockets

/// Which resolved addresses a webhook may be sent to (SSRF, issue 16): not loopback, private,
/// shared, link-local (which holds the cloud metadata service, 169.254.169.254 and
/// fd00:ec2::254), unspecified, multicast or reserved, unless `READINESS_WEBHOOK_ALLOW_PRIVATE`
/// says otherwise. Judged on every address the name resolved to, at send time, by the dialer
/// that then connects to the very addresses it admitted.
///
/// A minimal classification of delivery's own: the subscriptions' check of URLs at creation
/// (`Webhooks/Subscriptions/`) is written in parallel and may replace it.
enum DestinationAddressPolicy {
    static func isPublic(_ address: SocketAddress) -> Bool {
        let bytes = address.ipBytes
        if bytes.count == 4 { return isPublicIPv4(bytes) }
        // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::/96) carry an IPv4 address.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff { return isPublicIPv4(Array(bytes[12...])) }
        if bytes[0..<12] == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return isPublicIPv4(Array(bytes[12...])) }
        if bytes.allSatisfy({ $0 == 0 }) { return false }                      // ::
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return false } // ::1
        if bytes[0] & 0xfe == 0xfc { return false }                           // fc00::/7 unique local (fd00:ec2::254 too)
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return false }       // fe80::/10 link-local
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0xc0 { return false }       // fec0::/10 site-local (deprecated)
        if bytes[0] == 0xff { return false }                                  // multicast
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8 { return false } // 2001:db8::/32 documentation
        return true
    }

    /// RFC 6890's special-purpose IPv4 blocks that are not globally reachable.
    private static func isPublicIPv4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return false                 // this network, private, loopback
        case (100, 64...127): return false                           // shared address space (CGNAT)
        case (169, 254): return false                                // link-local, cloud metadata
        case (172, 16...31), (192, 168): return false                // private
        case (192, 0) where b[2] == 0 || b[2] == 2: return false     // IETF assignments, TEST-NET-1
        case (198, 18...19): return false                            // benchmarking
        case (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: return false // TEST-NET-2, -3
        case (224...255, _): return false                            // multicast, reserved, broadcast
        default: return true
        }
    }
}
