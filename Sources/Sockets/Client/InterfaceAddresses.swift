#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's interfaces and their IP addresses (`getifaddrs`): what VPN detection
/// compares the kernel's chosen source addresses with.
public enum InterfaceAddresses {
    public struct Entry: Sendable, Equatable {
        public let interface: String
        public let host: String

        public init(interface: String, host: String) {
            self.interface = interface
            self.host = host
        }
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
                if let ip = SocketAddress(UnsafePointer(address))?.ip {
                    entries.append(Entry(interface: String(cString: entry.pointee.ifa_name), host: ip))
                }
            }
            cursor = entry.pointee.ifa_next
        }
        return entries
    }
}
