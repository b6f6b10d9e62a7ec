import JSON
import Foundation

extension ContractReader {
    mutating func readReachability(_ object: ObjectMembers<ReachabilityField>) -> ProbeResult.ReachabilityProbe? {
        let proto: ProbeResult.TransportProtocol? = enumeration(object, .protocol)
        let host = string(object, .host)
        let port = integer(object, .port, range: 1...65_535)
        let reachable = bool(object, .reachable)
        let connectMs = number(object, .connectMs, required: false)
        let error = string(object, .error, required: false)
        guard let proto, let host, let port, let reachable else { return nil }
        return .init(proto, host, port, reachable: reachable, connectMs: connectMs, error: error)
    }

    mutating func readGateway(_ object: ObjectMembers<GatewayField>) -> ProbeResult.GatewayProbe? {
        let kind: ProbeResult.GatewayKind? = enumeration(object, .kind)
        let host = string(object, .host)
        let allowed = bool(object, .allowed)
        let viaProxy = bool(object, .viaProxy)
        // An HTTP status code (RFC 9110 §15: three digits, 1xx to 5xx).
        let status = integer(object, .status, required: false, range: 100...599)
        guard let kind, let host, let allowed, let viaProxy else { return nil }
        return .init(kind: kind, host: host, allowed: allowed, viaProxy: viaProxy, status: status)
    }

    mutating func readTLSInspection(_ object: ObjectMembers<TLSInspectionField>) -> ProbeResult.TLSInspectionProbe? {
        let host = string(object, .host)
        let intercepted = bool(object, .intercepted)
        let issuer = string(object, .issuer, required: false)
        guard let host, let intercepted else { return nil }
        return .init(host: host, intercepted: intercepted, issuer: issuer)
    }

    mutating func readUDPTimeout(_ parent: ObjectMembers<ResultField>) -> ProbeResult.UDPTimeoutProbe? {
        object(parent, .udpTimeout, required: false, as: UDPTimeoutField.self) { reader, object in
            let lower = reader.number(object, .lowerBoundS)
            let upper = reader.number(object, .upperBoundS, required: false)
            let probeMax = reader.number(object, .probeMaxS)
            if let lower, let upper, upper < lower {
                reader.fault(at: "upper_bound_s", "must not be less than lower_bound_s")
                return nil
            }
            if let lower, let probeMax, lower > probeMax {
                reader.fault(at: "lower_bound_s", "must not exceed probe_max_s")
                return nil
            }
            guard let lower, let probeMax else { return nil }
            return .init(lowerBoundS: lower, upperBoundS: upper, probeMaxS: probeMax)
        }
    }

    mutating func readLatency(_ object: ObjectMembers<LatencyField>) -> ProbeResult.LatencyProbe? {
        let host = string(object, .host)
        let proto: ProbeResult.TransportProtocol? = enumeration(object, .protocol)
        let samples = integer(object, .samples, range: 0...1_000_000)
        let rtt = readRTT(object)
        let jitter = number(object, .jitterMs, required: false)
        let loss = number(object, .lossPct, range: 0...100)
        guard let host, let proto, let samples, let loss else { return nil }
        if let value = object[.rttMs], tape.kind(value) != .null, rtt == nil { return nil }
        return .init(host: host, proto, samples: samples, rttMs: rtt, jitterMs: jitter, lossPct: loss)
    }

    private mutating func readRTT(_ parent: ObjectMembers<LatencyField>) -> ProbeResult.RTTSummary? {
        object(parent, .rttMs, required: false, as: RTTField.self) { reader, object in
            let min = reader.number(object, .min)
            let p50 = reader.number(object, .p50)
            let p95 = reader.number(object, .p95)
            let max = reader.number(object, .max)
            guard let min, let p50, let p95, let max else { return nil }
            guard min <= p50, p50 <= p95, p95 <= max else {
                reader.fault("must satisfy min ≤ p50 ≤ p95 ≤ max")
                return nil
            }
            return .init(min: min, p50: p50, p95: p95, max: max)
        }
    }

    mutating func readBandwidth(_ parent: ObjectMembers<ResultField>) -> ProbeResult.BandwidthProbe? {
        object(parent, .bandwidth, required: false, as: BandwidthField.self) { reader, object in
            let down = reader.number(object, .downKbps)
            let up = reader.number(object, .upKbps)
            guard let down, let up else { return nil }
            return .init(downKbps: down, upKbps: up)
        }
    }
}
