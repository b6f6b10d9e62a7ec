#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SocketAddress {
    /// The address of a `sockaddr_in`/`sockaddr_in6`; nil for other families.
    init?(_ address: UnsafePointer<sockaddr>) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let value = UnsafeRawPointer(address).load(as: sockaddr_in.self)
            let ip = withUnsafeBytes(of: value.sin_addr) { Array($0) }
            self.init(unchecked: ip, port: UInt16(bigEndian: value.sin_port))
        case AF_INET6:
            let value = UnsafeRawPointer(address).load(as: sockaddr_in6.self)
            let ip = withUnsafeBytes(of: value.sin6_addr) { Array($0) }
            self.init(unchecked: ip, port: UInt16(bigEndian: value.sin6_port))
        default:
            return nil
        }
    }

    var socketFamily: Int32 { family == .ipv4 ? AF_INET : AF_INET6 }

    /// Calls `body` with this address as a `sockaddr` of the right length.
    func withSockAddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) rethrows -> T {
        if family == .ipv4 {
            var value = sockaddr_in()
            value.sin_family = sa_family_t(AF_INET)
            value.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &value.sin_addr) { $0.copyBytes(from: ipBytes) }
            return try withUnsafePointer(to: &value) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        var value = sockaddr_in6()
        value.sin6_family = sa_family_t(AF_INET6)
        value.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &value.sin6_addr) { $0.copyBytes(from: ipBytes) }
        return try withUnsafePointer(to: &value) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
    }
}
