import HTTPClient
import Foundation
import ReadinessContract
import Sockets

/// Runs a plan's probes in an order that keeps them from measuring each other: the UDP
/// idle-timeout bindings idle in the background the whole time; quick reachability, TLS and
/// WebSocket checks run side by side; the latency series then runs on a quiet link, and the
/// bandwidth probe, which saturates it, runs last.
struct ProbeSuite: Sendable {
    let plan: AgentPlan
    let settings: AgentSettings
    let dialer: StreamDialer
    let progress: ProgressReporter
    let environment: [String: String]
    let sawVia: Bool

    func run() async -> ProbeOutcomes {
        var outcomes = ProbeOutcomes()
        let idleTimeout = Task { await udpTimeout() }

        outcomes.network = await network()
        async let tcp = tcpReachability()
        async let udp = udpReachability()
        async let tls = tlsInspection()
        async let websocket = websockets()
        let udpResults = await udp
        outcomes.reachability = await tcp + udpResults
        outcomes.tlsInspection = await tls
        // No `webrtc` entries inferred from UDP reachability: a firewall that drops UDP is not
        // a gateway blocking WebRTC (media falls back to TCP/TLS 443), and the route rules and
        // the transport already judge that UDP; counting it here too turned a blocked UDP 3478
        // (an optimal-tier finding) into a minimal-tier gateway failure.
        outcomes.gateway = await websocket
        outcomes.latency = await latency(udpResults)
        outcomes.bandwidth = await bandwidth()
        outcomes.udpTimeout = await idleTimeout.value
        return outcomes
    }

    private func network() async -> ProbeResult.Network {
        let environment = environment, media = plan.mediaTargets
        let (mode, facts) = (try? await DedicatedThread.run(name: "probe-network") {
            (ProxyDetection.gnomeProxyMode(environment: environment), VPNDetection.gather(mediaHosts: media))
        }) ?? (nil, VPNDetection.Facts(defaultInterface: nil, interfaces: [:], addresses: [], mediaSources: [:]))
        let proxy = ProxyDetection(environment: ProxyEnvironment(environment: environment), desktopMode: mode, sawVia: sawVia)
            .detect(mediaHosts: media.map(\.host))
        let vpn = VPNDetection.judge(facts)
        let interface = VPNDetection.interfaceKind(facts)
        progress.line("network", "\(interface.rawValue), proxy \(proxy.kind.rawValue)\(proxy.inMediaPath ? " (in the media path)" : ""), "
            + "vpn \(vpn.tunnel.rawValue)\(vpn.present ? (vpn.mediaExcluded ? " (media outside)" : " (media inside)") : "")")
        return .init(interface: interface, proxy: proxy, vpn: vpn)
    }

    private func tcpReachability() async -> [ProbeResult.ReachabilityProbe] {
        await withTaskGroup(of: (Int, ProbeResult.ReachabilityProbe).self) { group in
            for (index, target) in plan.tcpTargets.enumerated() {
                group.addTask { (index, await TCPConnectProbe().run(target)) }
            }
            var results: [(Int, ProbeResult.ReachabilityProbe)] = []
            for await result in group {
                progress.line("tcp \(result.1.host):\(result.1.port)", Self.describe(result.1))
                results.append(result)
            }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    static func describe(_ probe: ProbeResult.ReachabilityProbe) -> String {
        probe.reachable ? "reachable \(probe.connectMs.map { "\($0) ms" } ?? "")" : "not reachable (\(probe.error ?? "error"))"
    }

    private func tlsInspection() async -> [ProbeResult.TLSInspectionProbe] {
        var results: [ProbeResult.TLSInspectionProbe] = []
        for target in plan.tlsTargets {
            if let result = await TLSInspectionProbe(dialer: dialer).run(target) {
                progress.line("tls \(target.host)", (result.intercepted ? "INTERCEPTED" : "not intercepted") + (result.issuer.map { ", issuer \($0)" } ?? ""))
                results.append(result)
            } else {
                progress.line("tls \(target.host)", "not reachable, left out")
            }
        }
        return results
    }

    private func websockets() async -> [ProbeResult.GatewayProbe] {
        let probe = WebSocketProbe(server: settings.server, token: settings.token, dialer: dialer)
        var results: [ProbeResult.GatewayProbe] = []
        for host in plan.websocketTargets {
            for result in await probe.run(host: host) {
                let path = result.viaProxy ? " via proxy" : ""
                progress.line("websocket \(host)\(path)", (result.allowed ? "allowed" : "blocked") + (result.status.map { " (HTTP \($0))" } ?? " (no answer)"))
                results.append(result)
            }
        }
        return results
    }

    private func bandwidth() async -> ProbeResult.BandwidthProbe? {
        guard settings.bandwidthSeconds > 0 else { return nil }
        let probe = BandwidthProbe(server: settings.server, token: settings.token, dialer: dialer, seconds: settings.bandwidthSeconds)
        let progress = progress
        do {
            let down = try await probe.download(bytes: plan.bandwidth.downloadBytes) { progress.live("bandwidth down", "\($0 >> 10) KiB") }
            progress.line("bandwidth down", "\(Int(down)) kbps")
            let up = try await probe.upload(bytes: plan.bandwidth.uploadBytes) { progress.live("bandwidth up", "\($0 >> 10) KiB") }
            progress.line("bandwidth up", "\(Int(up)) kbps")
            return .init(downKbps: down, upKbps: up)
        } catch {
            progress.line("bandwidth", "not measured (\(ServiceClient.describe(error)))")
            return nil
        }
    }
}
