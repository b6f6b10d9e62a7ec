import JSON
import Foundation

extension ProbeResult {
    /// The canonical JSON (see `canonicalJSON()`), written by `JSONWriter`: keys in byte order,
    /// absent optionals left out, times as `RFC3339Timestamp.format` spells them.
    public func canonicalJSONBytes() -> [UInt8] {
        // Every double came through the contract reader, which refuses non-finite numbers; an
        // empty document (never equal to a real one) keeps this total, as before.
        (try? JSONWriter.document(capacity: 4096) { write(to: $0) }) ?? []
    }

    func write(to json: JSONWriter) {
        json.beginObject()
        json.key(ResultField.agent.name)
        agent.write(to: json)
        if let bandwidth {
            json.key(ResultField.bandwidth.name)
            json.beginObject()
            json.member(BandwidthField.downKbps.name, bandwidth.downKbps)
            json.member(BandwidthField.upKbps.name, bandwidth.upKbps)
            json.endObject()
        }
        json.member(ResultField.finishedAt.name, timestamp: finishedAt)
        if let gateway {
            json.key(ResultField.gateway.name)
            json.beginArray()
            for probe in gateway { probe.write(to: json) }
            json.endArray()
        }
        if let latency {
            json.key(ResultField.latency.name)
            json.beginArray()
            for probe in latency { probe.write(to: json) }
            json.endArray()
        }
        json.key(ResultField.network.name)
        network.write(to: json)
        if let reachability {
            json.key(ResultField.reachability.name)
            json.beginArray()
            for probe in reachability { probe.write(to: json) }
            json.endArray()
        }
        json.member(ResultField.runID.name, runID)
        json.member(ResultField.schema.name, schema)
        json.member(ResultField.startedAt.name, timestamp: startedAt)
        if let tlsInspection {
            json.key(ResultField.tlsInspection.name)
            json.beginArray()
            for probe in tlsInspection {
                json.beginObject()
                json.member(TLSInspectionField.host.name, probe.host)
                json.member(TLSInspectionField.intercepted.name, probe.intercepted)
                json.memberIfPresent(TLSInspectionField.issuer.name, probe.issuer)
                json.endObject()
            }
            json.endArray()
        }
        if let udpTimeout {
            json.key(ResultField.udpTimeout.name)
            json.beginObject()
            json.member(UDPTimeoutField.lowerBoundS.name, udpTimeout.lowerBoundS)
            json.member(UDPTimeoutField.probeMaxS.name, udpTimeout.probeMaxS)
            json.memberIfPresent(UDPTimeoutField.upperBoundS.name, udpTimeout.upperBoundS)
            json.endObject()
        }
        json.endObject()
    }
}

extension ProbeResult.Agent {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.memberIfPresent(AgentField.hostname.name, hostname)
        json.member(AgentField.os.name, os)
        json.member(AgentField.version.name, version)
        json.endObject()
    }
}

extension ProbeResult.Network {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.member(NetworkField.interface.name, interface.rawValue)
        json.key(NetworkField.proxy.name)
        json.beginObject()
        json.member(ProxyField.inMediaPath.name, proxy.inMediaPath)
        json.member(ProxyField.kind.name, proxy.kind.rawValue)
        json.member(ProxyField.present.name, proxy.present)
        json.endObject()
        json.key(NetworkField.vpn.name)
        json.beginObject()
        json.member(VPNField.mediaExcluded.name, vpn.mediaExcluded)
        json.member(VPNField.present.name, vpn.present)
        json.member(VPNField.tunnel.name, vpn.tunnel.rawValue)
        json.endObject()
        json.endObject()
    }
}

extension ProbeResult.ReachabilityProbe {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.memberIfPresent(ReachabilityField.connectMs.name, connectMs)
        json.memberIfPresent(ReachabilityField.error.name, error)
        json.member(ReachabilityField.host.name, host)
        json.member(ReachabilityField.port.name, port)
        json.member(ReachabilityField.`protocol`.name, self.protocol.rawValue)
        json.member(ReachabilityField.reachable.name, reachable)
        json.endObject()
    }
}

extension ProbeResult.GatewayProbe {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.member(GatewayField.allowed.name, allowed)
        json.member(GatewayField.host.name, host)
        json.member(GatewayField.kind.name, kind.rawValue)
        json.memberIfPresent(GatewayField.status.name, status)
        json.member(GatewayField.viaProxy.name, viaProxy)
        json.endObject()
    }
}

extension ProbeResult.LatencyProbe {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.member(LatencyField.host.name, host)
        json.memberIfPresent(LatencyField.jitterMs.name, jitterMs)
        json.member(LatencyField.lossPct.name, lossPct)
        json.member(LatencyField.`protocol`.name, self.protocol.rawValue)
        if let rttMs {
            json.key(LatencyField.rttMs.name)
            json.beginObject()
            json.member(RTTField.max.name, rttMs.max)
            json.member(RTTField.min.name, rttMs.min)
            json.member(RTTField.p50.name, rttMs.p50)
            json.member(RTTField.p95.name, rttMs.p95)
            json.endObject()
        }
        json.member(LatencyField.samples.name, samples)
        json.endObject()
    }
}

extension UUID {
    /// RFC 9562 §4: lower case on output (Foundation's `uuidString` is upper case).
    public var lowercasedString: String {
        let hex: StaticString = "0123456789abcdef"
        return hex.withUTF8Buffer { digits in
            String(unsafeUninitializedCapacity: 36) { out in
                var index = 0
                withUnsafeBytes(of: uuid) { bytes in
                    for (position, byte) in bytes.enumerated() {
                        if position == 4 || position == 6 || position == 8 || position == 10 {
                            out[index] = UInt8(ascii: "-")
                            index += 1
                        }
                        out[index] = digits[Int(byte >> 4)]
                        out[index + 1] = digits[Int(byte & 0x0F)]
                        index += 2
                    }
                }
                return index
            }
        }
    }
}
