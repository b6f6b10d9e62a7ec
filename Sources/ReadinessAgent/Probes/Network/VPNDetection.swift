import Foundation
import ReadinessContract
import Sockets

/// Whether traffic leaves through a VPN tunnel (`network.vpn`): `full` when the default route
/// is a tunnel interface, `split` when a tunnel is up but not the default, and whether the
/// media hosts are routed outside it (the source address the kernel picks for each is not a
/// tunnel's).
struct VPNDetection: Sendable {
    /// Facts about the machine, gathered by ``gather()``; tests build them by hand.
    struct Facts: Sendable {
        var defaultInterface: String?
        /// Interface name → link type (`/sys/class/net/IF/type`), nil where unknown.
        var interfaces: [String: Int?]
        var addresses: [InterfaceAddresses.Entry]
        /// Media host → the source address the kernel picks toward it.
        var mediaSources: [String: String]
    }

    static func judge(_ facts: Facts) -> ProbeResult.VPN {
        let tunnels = Set(facts.interfaces.filter { RouteTable.isTunnel(name: $0.key, linkType: $0.value) }.keys)
        guard !tunnels.isEmpty else { return .none }
        let full = facts.defaultInterface.map(tunnels.contains) ?? false
        let tunnelAddresses = Set(facts.addresses.filter { tunnels.contains($0.interface) }.map(\.host))
        let excluded: Bool
        if facts.mediaSources.isEmpty {
            // No media host resolved: a split tunnel normally carries only the company's
            // networks, a full one everything.
            excluded = !full
        } else {
            excluded = facts.mediaSources.values.allSatisfy { !tunnelAddresses.contains($0) }
        }
        return .init(present: true, tunnel: full ? .full : .split, mediaExcluded: excluded)
    }

    /// Reads the routing table, interfaces and the route to each media host. Blocking (files,
    /// DNS): call from a dedicated thread.
    static func gather(mediaHosts: [AgentPlan.HostPort]) -> Facts {
        var defaultInterface: String?
        if let text = try? String(contentsOfFile: "/proc/net/route", encoding: .utf8) {
            defaultInterface = RouteTable.defaultInterface(procNetRoute: text)
        } else if let text = ProxyDetection.output(of: "ip", ["route", "show", "default"]) {
            defaultInterface = RouteTable.defaultInterface(ipRoute: text)
        }
        var interfaces: [String: Int?] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? []
        for name in names {
            let type = (try? String(contentsOfFile: "/sys/class/net/\(name)/type", encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            interfaces[name] = type
        }
        let addresses = InterfaceAddresses.all()
        if names.isEmpty {
            for entry in addresses where interfaces[entry.interface] == nil { interfaces[entry.interface] = .some(nil) }
        }
        var sources: [String: String] = [:]
        for target in mediaHosts {
            // A UDP socket's connect runs the kernel's route lookup without sending anything;
            // the source address it picks names the interface the media would leave by.
            guard let address = try? HostResolver.resolve(target.host, port: target.port, transport: .udp).first,
                  let socket = try? UDPSocket(family: address.family)
            else { continue }
            defer { socket.close() }
            guard (try? socket.connect(to: address)) != nil, let source = try? socket.localAddress() else { continue }
            sources[target.host] = source.ip
        }
        return Facts(defaultInterface: defaultInterface, interfaces: interfaces, addresses: addresses, mediaSources: sources)
    }

    /// wired / wifi / cellular from the default route's interface (`/sys/class/net/IF/wireless`
    /// exists for Wi-Fi; `wwan*` names are mobile broadband); unknown behind a tunnel.
    static func interfaceKind(_ facts: Facts) -> ProbeResult.Interface {
        guard let name = facts.defaultInterface else { return .unknown }
        if RouteTable.isTunnel(name: name, linkType: facts.interfaces[name] ?? nil) { return .unknown }
        if FileManager.default.fileExists(atPath: "/sys/class/net/\(name)/wireless") || name.hasPrefix("wl") { return .wifi }
        if name.hasPrefix("wwan") || name.hasPrefix("rmnet") { return .cellular }
        if (facts.interfaces[name] ?? nil) == 1 { return .wired }  // ARPHRD_ETHER
        return .unknown
    }
}
