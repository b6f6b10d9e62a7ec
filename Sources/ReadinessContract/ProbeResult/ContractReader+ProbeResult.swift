import JSON
import Foundation
import UUIDText

extension ContractReader {
    /// Reads one `probe-result/v1` object; returns nil when any fault was found in it.
    mutating func readResult(_ value: Value, now: Date) -> ProbeResult? {
        let faultsBefore = faults.count
        let object = members(value, as: ResultField.self)
        if let schema = string(object, .schema), schema != ProbeResult.schemaName {
            fault(at: "schema", "must be \"\(ProbeResult.schemaName)\"")
        }
        var runID: UUID?
        if let text = string(object, .runID) {
            runID = UUID(hyphenatedHex: text)
            if runID == nil { fault(at: "run_id", "must be a UUID") }
        }
        let agent = readAgent(object)
        let started = timestamp(object, .startedAt)
        let finished = timestamp(object, .finishedAt)
        checkTimes(started: started, finished: finished, now: now)
        let network = readNetwork(object)
        let reachability = array(object, .reachability, as: ReachabilityField.self) { $0.readReachability($1) }
        let gateway = array(object, .gateway, as: GatewayField.self) { $0.readGateway($1) }
        let tls = array(object, .tlsInspection, as: TLSInspectionField.self) { $0.readTLSInspection($1) }
        let udpTimeout = readUDPTimeout(object)
        let latency = array(object, .latency, as: LatencyField.self) { $0.readLatency($1) }
        let bandwidth = readBandwidth(object)
        guard faults.count == faultsBefore, let runID, let agent, let started, let finished, let network else { return nil }
        return ProbeResult(
            runID: runID, agent: agent, startedAt: started, finishedAt: finished, network: network,
            reachability: reachability, gateway: gateway, tlsInspection: tls, udpTimeout: udpTimeout,
            latency: latency, bandwidth: bandwidth
        )
    }

    private mutating func checkTimes(started: Date?, finished: Date?, now: Date) {
        let latest = now.addingTimeInterval(ProbeResultDecoder.allowedClockSkew)
        if let started, started > latest {
            fault(at: "started_at", "must not be more than 10 minutes in the future")
        }
        if let finished, finished > latest {
            fault(at: "finished_at", "must not be more than 10 minutes in the future")
        }
        if let started, let finished, finished < started {
            fault(at: "finished_at", "must not be before started_at")
        }
    }

    private mutating func readAgent(_ parent: ObjectMembers<ResultField>) -> ProbeResult.Agent? {
        object(parent, .agent, required: true, as: AgentField.self) { reader, object in
            let version = reader.string(object, .version)
            let os = reader.string(object, .os)
            let hostname = reader.string(object, .hostname, required: false)
            guard let version, let os else { return nil }
            return ProbeResult.Agent(version: version, os: os, hostname: hostname)
        }
    }

    private mutating func readNetwork(_ parent: ObjectMembers<ResultField>) -> ProbeResult.Network? {
        object(parent, .network, required: true, as: NetworkField.self) { reader, object in
            let interface: ProbeResult.Interface? = reader.enumeration(object, .interface)
            let proxy = reader.object(object, .proxy, required: true, as: ProxyField.self) { reader, proxy -> ProbeResult.Proxy? in
                let present = reader.bool(proxy, .present)
                let kind: ProbeResult.ProxyKind? = reader.enumeration(proxy, .kind)
                let inMediaPath = reader.bool(proxy, .inMediaPath)
                guard let present, let kind, let inMediaPath else { return nil }
                return .init(present: present, kind: kind, inMediaPath: inMediaPath)
            }
            let vpn = reader.object(object, .vpn, required: true, as: VPNField.self) { reader, vpn -> ProbeResult.VPN? in
                let present = reader.bool(vpn, .present)
                let tunnel: ProbeResult.Tunnel? = reader.enumeration(vpn, .tunnel)
                let excluded = reader.bool(vpn, .mediaExcluded)
                guard let present, let tunnel, let excluded else { return nil }
                return .init(present: present, tunnel: tunnel, mediaExcluded: excluded)
            }
            guard let interface, let proxy, let vpn else { return nil }
            return ProbeResult.Network(interface: interface, proxy: proxy, vpn: vpn)
        }
    }
}
