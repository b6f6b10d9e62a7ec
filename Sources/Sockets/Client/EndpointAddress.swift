#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One resolved socket address (IPv4 or IPv6), kept as the bytes of a `sockaddr_storage` so it
/// can cross threads; only the socket layer ever sees the `sockaddr` inside.
public struct EndpointAddress: Sendable, Hashable, CustomStringConvertible {
    let storage: [UInt8]

    init(_ address: UnsafePointer<sockaddr>, length: socklen_t) {
        storage = Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(address), count: Int(length)))
    }

    var family: Int32 {
        storage.withUnsafeBytes { Int32($0.load(fromByteOffset: 0, as: sockaddr.self).sa_family) }
    }

    public var isIPv6: Bool { family == AF_INET6 }

    func withSockAddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) rethrows -> T {
        try storage.withUnsafeBytes { raw in
            // A copy into sockaddr_storage gives the pointer the alignment `sockaddr` needs.
            var aligned = sockaddr_storage()
            withUnsafeMutableBytes(of: &aligned) { $0.copyBytes(from: raw) }
            return try withUnsafePointer(to: &aligned) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(raw.count)) }
            }
        }
    }

    /// The numeric host (`192.0.2.1`, `2001:db8::1`) without port.
    public var host: String {
        withSockAddr { address, length in
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let status = getnameinfo(address, length, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST)
            return status == 0 ? String(nulTerminated: text) : "?"
        }
    }

    public var port: Int {
        storage.withUnsafeBytes { raw in
            // sin_port and sin6_port sit at the same offset, in network byte order.
            Int(UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self)))
        }
    }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension EndpointAddress {
    /// The same address as the UDP layer spells it (nil for a scoped link-local address).
    public var socketAddress: SocketAddress? {
        SocketAddress(ip: host, port: UInt16(truncatingIfNeeded: port))
    }
}
