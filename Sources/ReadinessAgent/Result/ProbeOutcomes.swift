import Foundation
import ReadinessContract

/// What the probes of one run found, gathered before the result document is assembled.
struct ProbeOutcomes: Sendable {
    var network = ProbeResult.Network(interface: .unknown, proxy: .none, vpn: .none)
    var reachability: [ProbeResult.ReachabilityProbe] = []
    var gateway: [ProbeResult.GatewayProbe] = []
    var tlsInspection: [ProbeResult.TLSInspectionProbe] = []
    var udpTimeout: ProbeResult.UDPTimeoutProbe?
    var latency: [ProbeResult.LatencyProbe] = []
    var bandwidth: ProbeResult.BandwidthProbe?
}
