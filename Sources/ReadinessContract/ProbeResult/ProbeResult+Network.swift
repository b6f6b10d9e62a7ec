import Foundation

extension ProbeResult {
    /// How the agent's machine reaches the internet: interface, forward proxy and VPN.
    public struct Network: Codable, Sendable, Equatable {
        public var interface: Interface
        public var proxy: Proxy
        public var vpn: VPN

        typealias CodingKeys = NetworkField

        public init(interface: Interface, proxy: Proxy, vpn: VPN) {
            self.interface = interface
            self.proxy = proxy
            self.vpn = vpn
        }
    }

    public enum Interface: String, Codable, Sendable, CaseIterable {
        case wired, wifi, cellular, unknown
    }

    public struct Proxy: Codable, Sendable, Equatable {
        public var present: Bool
        public var kind: ProxyKind
        public var inMediaPath: Bool

        typealias CodingKeys = ProxyField

        public init(present: Bool, kind: ProxyKind, inMediaPath: Bool) {
            self.present = present
            self.kind = kind
            self.inMediaPath = inMediaPath
        }

        public static let none = Proxy(present: false, kind: .none, inMediaPath: false)
    }

    public enum ProxyKind: String, Codable, Sendable, CaseIterable {
        case none, explicit, pac, transparent
    }

    public struct VPN: Codable, Sendable, Equatable {
        public var present: Bool
        public var tunnel: Tunnel
        /// Whether the media servers are routed outside the tunnel.
        public var mediaExcluded: Bool

        typealias CodingKeys = VPNField

        public init(present: Bool, tunnel: Tunnel, mediaExcluded: Bool) {
            self.present = present
            self.tunnel = tunnel
            self.mediaExcluded = mediaExcluded
        }

        public static let none = VPN(present: false, tunnel: .none, mediaExcluded: false)
    }

    public enum Tunnel: String, Codable, Sendable, CaseIterable {
        case none, split, full
    }
}
