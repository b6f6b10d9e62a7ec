#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's interfaces and their IP addresses (`getifaddrs`), and the source address
/// the kernel's routing picks toward a destination: what VPN detection compares.
public enum InterfaceAddresses {
    public struct Entry: Sendable, Equatable {
        public let interface: String
        public let host: String
    }

    /// Every IPv4 and IPv6 address with its interface name.
    public static func all() -> [Entry] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(first) }
        var entries: [Entry] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            if let address = entry.pointee.ifa_addr {
                let family = Int32(address.pointee.sa_family)
                if family == AF_INET || family == AF_INET6 {
                    let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
                    let host = EndpointAddress(address, length: length).host
                    entries.append(Entry(interface: String(cString: entry.pointee.ifa_name), host: host))
                }
            }
            cursor = entry.pointee.ifa_next
        }
        return entries
    }

    /// The local address the kernel would send from toward `destination`: a UDP socket's
    /// `connect` runs the route lookup without sending a packet; `getsockname` reads it.
    public static func sourceAddress(toward destination: EndpointAddress) throws -> String {
        let fd = socket(destination.family, SocketTypes.datagram, 0)
        guard fd >= 0 else { throw SocketError("socket") }
        defer { _ = systemClose(fd) }
        guard destination.withSockAddr({ connect(fd, $0, $1) }) == 0 else { throw SocketError("connect") }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { throw SocketError("getsockname") }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { EndpointAddress($0, length: length).host }
        }
    }
}
