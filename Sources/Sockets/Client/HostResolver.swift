#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Name resolution through the system resolver (`getaddrinfo`), which honours
/// /etc/hosts, nsswitch and the resolver configuration exactly as other programs do. Unlike
/// ``SocketAddress/resolve(host:port:)`` it says why a name did not resolve (`gai_strerror`),
/// which a probe reports as a DNS failure rather than an unreachable host.
///
/// Blocking: call it from a dedicated thread (``DedicatedThread``), never from Swift's
/// cooperative pool.
public enum HostResolver {
    public enum Transport: Sendable {
        case tcp, udp
    }

    /// A name the resolver could not turn into addresses; `message` is `gai_strerror`'s text.
    public struct ResolutionError: Error, Sendable, CustomStringConvertible {
        public let host: String
        public let message: String

        public init(host: String, message: String) {
            self.host = host
            self.message = message
        }

        public var description: String { "cannot resolve \(host): \(message)" }
    }

    /// Every address of `host` in the resolver's preference order (RFC 6724 sorting).
    public static func resolve(_ host: String, port: Int, transport: Transport) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = transport == .tcp ? SocketTypes.stream : SocketTypes.datagram
        hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw ResolutionError(host: host, message: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = entry.pointee.ai_addr, let resolved = SocketAddress(UnsafePointer(address)), !addresses.contains(resolved) {
                addresses.append(resolved)
            }
            cursor = entry.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw ResolutionError(host: host, message: "no addresses") }
        return addresses
    }
}

/// `SOCK_STREAM` / `SOCK_DGRAM` as the `Int32` that `socket(2)` takes on every platform.
enum SocketTypes {
    #if canImport(Glibc)
    static let stream = Int32(SOCK_STREAM.rawValue)
    static let datagram = Int32(SOCK_DGRAM.rawValue)
    #else
    static let stream = SOCK_STREAM
    static let datagram = SOCK_DGRAM
    #endif
}
