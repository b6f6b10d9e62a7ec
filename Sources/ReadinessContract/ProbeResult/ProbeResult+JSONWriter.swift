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
        json.key("agent")
        agent.write(to: json)
        if let bandwidth {
            json.key("bandwidth")
            json.beginObject()
            json.member("down_kbps", bandwidth.downKbps)
            json.member("up_kbps", bandwidth.upKbps)
            json.endObject()
        }
        json.member("finished_at", timestamp: finishedAt)
        if let gateway {
            json.key("gateway")
            json.beginArray()
            for probe in gateway { probe.write(to: json) }
            json.endArray()
        }
        if let latency {
            json.key("latency")
            json.beginArray()
            for probe in latency { probe.write(to: json) }
            json.endArray()
        }
        json.key("network")
        network.write(to: json)
        if let reachability {
            json.key("reachability")
            json.beginArray()
            for probe in reachability { probe.write(to: json) }
            json.endArray()
        }
        json.member("run_id", runID)
        json.member("schema", schema)
        json.member("started_at", timestamp: startedAt)
        if let tlsInspection {
            json.key("tls_inspection")
            json.beginArray()
            for probe in tlsInspection {
                json.beginObject()
                json.member("host", probe.host)
                json.member("intercepted", probe.intercepted)
                json.memberIfPresent("issuer", probe.issuer)
                json.endObject()
            }
            json.endArray()
        }
        if let udpTimeout {
            json.key("udp_timeout")
            json.beginObject()
            json.member("lower_bound_s", udpTimeout.lowerBoundS)
            json.member("probe_max_s", udpTimeout.probeMaxS)
            json.memberIfPresent("upper_bound_s", udpTimeout.upperBoundS)
            json.endObject()
        }
        json.endObject()
    }
}

extension ProbeResult.Agent {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.memberIfPresent("hostname", hostname)
        json.member("os", os)
        json.member("version", version)
        json.endObject()
    }
}

extension ProbeResult.Network {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.member("interface", interface.rawValue)
        json.key("proxy")
        json.beginObject()
        json.member("in_media_path", proxy.inMediaPath)
        json.member("kind", proxy.kind.rawValue)
        json.member("present", proxy.present)
        json.endObject()
        json.key("vpn")
        json.beginObject()
        json.member("media_excluded", vpn.mediaExcluded)
        json.member("present", vpn.present)
        json.member("tunnel", vpn.tunnel.rawValue)
        json.endObject()
        json.endObject()
    }
}

extension ProbeResult.ReachabilityProbe {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.memberIfPresent("connect_ms", connectMs)
        json.memberIfPresent("error", error)
        json.member("host", host)
        json.member("port", port)
        json.member("protocol", self.protocol.rawValue)
        json.member("reachable", reachable)
        json.endObject()
    }
}

extension ProbeResult.GatewayProbe {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.member("allowed", allowed)
        json.member("host", host)
        json.member("kind", kind.rawValue)
        json.memberIfPresent("status", status)
        json.member("via_proxy", viaProxy)
        json.endObject()
    }
}

extension ProbeResult.LatencyProbe {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.member("host", host)
        json.memberIfPresent("jitter_ms", jitterMs)
        json.member("loss_pct", lossPct)
        json.member("protocol", self.protocol.rawValue)
        if let rttMs {
            json.key("rtt_ms")
            json.beginObject()
            json.member("max", rttMs.max)
            json.member("min", rttMs.min)
            json.member("p50", rttMs.p50)
            json.member("p95", rttMs.p95)
            json.endObject()
        }
        json.member("samples", samples)
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
