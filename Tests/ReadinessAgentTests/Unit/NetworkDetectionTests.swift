import Sockets
import Testing
@testable import ReadinessAgent

@Suite struct NetworkDetectionTests {
    static let procNetRoute = """
        Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
        eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
        wg0\t00000000\t00000000\t0001\t0\t0\t50\t00000000\t0\t0\t0
        eth0\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
        """

    @Test func defaultRouteIsTheLowestMetricZeroRoute() {
        #expect(RouteTable.defaultInterface(procNetRoute: Self.procNetRoute) == "wg0")
        let withoutTunnel = Self.procNetRoute.split(separator: "\n").filter { !$0.hasPrefix("wg0") }.joined(separator: "\n")
        #expect(RouteTable.defaultInterface(procNetRoute: withoutTunnel) == "eth0")
        #expect(RouteTable.defaultInterface(procNetRoute: "Iface\tDestination\n") == nil)
    }

    @Test func ipRouteOutputNamesTheDevice() {
        #expect(RouteTable.defaultInterface(ipRoute: "default via 192.0.2.1 dev tun0 proto static metric 50\n10.0.0.0/8 dev eth0") == "tun0")
        #expect(RouteTable.defaultInterface(ipRoute: "10.0.0.0/8 dev eth0") == nil)
    }

    @Test(arguments: [("tun0", 65534, true), ("wg-office", 65534, true), ("eth0", 1, false), ("ppp0", 512, true), ("corpvpn", 65534, true), ("lo", 772, false)])
    func tunnelInterfaces(name: String, type: Int, tunnel: Bool) {
        #expect(RouteTable.isTunnel(name: name, linkType: type) == tunnel)
    }

    func facts(default route: String, media: [String: String]) -> VPNDetection.Facts {
        VPNDetection.Facts(
            defaultInterface: route, interfaces: ["eth0": 1, "tun0": 65534, "lo": 772],
            addresses: [.init(interface: "eth0", host: "192.168.2.10"), .init(interface: "tun0", host: "10.8.0.2")],
            mediaSources: media)
    }

    @Test func defaultRouteThroughTunnelIsFullAndMediaInsideIt() {
        let vpn = VPNDetection.judge(facts(default: "tun0", media: ["media.chime.aws": "10.8.0.2"]))
        #expect(vpn == .init(present: true, tunnel: .full, mediaExcluded: false))
    }

    @Test func tunnelNotDefaultIsSplitAndMediaRoutedOutsideIsExcluded() {
        let vpn = VPNDetection.judge(facts(default: "eth0", media: ["media.chime.aws": "192.168.2.10"]))
        #expect(vpn == .init(present: true, tunnel: .split, mediaExcluded: true))
        // A full tunnel with an exclusion route for the media hosts.
        #expect(VPNDetection.judge(facts(default: "tun0", media: ["m": "192.168.2.10"])).mediaExcluded)
    }

    @Test func noTunnelInterfaceIsNoVPN() {
        let facts = VPNDetection.Facts(defaultInterface: "eth0", interfaces: ["eth0": 1], addresses: [], mediaSources: [:])
        #expect(VPNDetection.judge(facts) == .none)
        #expect(VPNDetection.interfaceKind(facts) == .wired)
        #expect(VPNDetection.interfaceKind(self.facts(default: "tun0", media: [:])) == .unknown)
    }
}
