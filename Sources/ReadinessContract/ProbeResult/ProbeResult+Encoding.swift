import JSON
import Foundation

extension ProbeResult {
    /// Written out by hand only for `run_id`: Foundation spells UUIDs in upper case, the
    /// contract's examples and agents in lower case (RFC 9562 §4: output is lower case), and
    /// the stored body and its canonical hash must match what the agent sent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schema, forKey: .schema)
        try container.encode(runID.uuidString.lowercased(), forKey: .runID)
        try container.encode(agent, forKey: .agent)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(network, forKey: .network)
        try container.encodeIfPresent(reachability, forKey: .reachability)
        try container.encodeIfPresent(gateway, forKey: .gateway)
        try container.encodeIfPresent(tlsInspection, forKey: .tlsInspection)
        try container.encodeIfPresent(udpTimeout, forKey: .udpTimeout)
        try container.encodeIfPresent(latency, forKey: .latency)
        try container.encodeIfPresent(bandwidth, forKey: .bandwidth)
    }
}
