import CSocketShims

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address and port, IPv4 or IPv6: what UDP sends to and receives from.
///
/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) from a dual-stack socket are reported as
/// IPv4, so a peer has one spelling. Scope IDs of link-local IPv6 addresses are not kept.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Family: Sendable { case ipv4, ipv6 }

    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    public let ipBytes: [UInt8]
    public let port: UInt16

    /// Nil unless `ipBytes` holds 4 or 16 bytes.
    public init?(ipBytes: [UInt8], port: UInt16) {
        guard ipBytes.count == 4 || ipBytes.count == 16 else { return nil }
        self.ipBytes = ipBytes
        self.port = port
    }

    /// A numeric address (`192.0.2.1`, `2001:db8::1`); nil for names and anything else.
    public init?(ip: String, port: UInt16) {
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = cshim_parse_ip(ip, &bytes)
        guard count == 4 || count == 16 else { return nil }
        self.ipBytes = Array(bytes.prefix(Int(count)))
        self.port = port
    }

    public var family: Family { ipBytes.count == 4 ? .ipv4 : .ipv6 }

    /// Text form: dotted quad, or RFC 5952 for IPv6 (inet_ntop).
    public var ip: String {
        var text = [CChar](repeating: 0, count: 64)
        guard cshim_format_ip(ipBytes, Int32(ipBytes.count), &text, Int32(text.count)) == 0 else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `192.0.2.1:3478` or `[2001:db8::1]:3478` (RFC 3986 §3.2.2 brackets).
    public var description: String {
        family == .ipv4 ? "\(ip):\(port)" : "[\(ip)]:\(port)"
    }

    /// The wildcard address of a family, for binding to every interface.
    public static func any(_ family: Family, port: UInt16 = 0) -> SocketAddress {
        SocketAddress(unchecked: [UInt8](repeating: 0, count: family == .ipv4 ? 4 : 16), port: port)
    }

    init(unchecked ipBytes: [UInt8], port: UInt16) {
        self.ipBytes = ipBytes
        self.port = port
    }
}

extension SocketAddress {
    /// Every address `host` (a name or a numeric address) resolves to, each with `port`, in the
    /// resolver's order. Blocks on DNS: call it from a dedicated thread, not the cooperative pool.
    public static func resolve(host: String, port: UInt16) throws(SocketError) -> [SocketAddress] {
        if let numeric = SocketAddress(ip: host, port: port) { return [numeric] }
        let maxCount = 16
        var ips = [UInt8](repeating: 0, count: 16 * maxCount)
        var lengths = [Int32](repeating: 0, count: maxCount)
        let count = cshim_resolve(host, &ips, &lengths, Int32(maxCount))
        guard count > 0 else { throw SocketError("resolve \(host)", code: EADDRNOTAVAIL) }
        var addresses: [SocketAddress] = []
        for index in 0..<Int(count) {
            let bytes = Array(ips[(16 * index)..<(16 * index + Int(lengths[index]))])
            let address = SocketAddress(unchecked: bytes, port: port)
            if !addresses.contains(address) { addresses.append(address) }
        }
        return addresses
    }

    /// Splits `host:port` or `[v6]:port` (RFC 3986 §3.2.2); the host may be a name. Nil for text
    /// of any other shape, such as an unbracketed IPv6 literal.
    public static func splitHostPort(_ text: String) -> (host: String, port: UInt16)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = UInt16(portText) else { return nil }
        return (String(host), port)
    }
}
