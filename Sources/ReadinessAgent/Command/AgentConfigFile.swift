import Foundation

/// `--config FILE.json`: the flags' names in snake case, e.g.
/// `{"server": "https://readiness.example.com", "token_file": "/etc/readiness-agent/token", "every": "15m"}`.
/// Unknown keys are refused, so a misspelt setting is not silently ignored.
public struct AgentConfigFile: Decodable, Sendable, Equatable {
    public var server: String?
    public var token: String?
    public var tokenFile: String?
    public var once: Bool?
    public var every: String?
    public var dryRun: Bool?
    public var spool: String?
    public var latencySamples: Int?
    public var latencyIntervalMs: Int?
    public var bandwidthSeconds: Double?
    public var udpTimeoutMaxS: Int?
    public var caFile: String?
    public var quiet: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case server, token, once, every, spool, quiet
        case tokenFile = "token_file"
        case dryRun = "dry_run"
        case latencySamples = "latency_samples"
        case latencyIntervalMs = "latency_interval_ms"
        case bandwidthSeconds = "bandwidth_seconds"
        case udpTimeoutMaxS = "udp_timeout_max_s"
        case caFile = "ca_file"
    }

    public init() {}

    /// Parses the file's bytes; the error names the file and the offending key.
    public static func parse(_ data: Data, path: String) throws -> AgentConfigFile {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw AgentFailure.usage("config file \(path) is not a JSON object")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw AgentFailure.usage("config file \(path): unknown key \"\(unknown)\"")
        }
        do {
            return try JSONDecoder().decode(AgentConfigFile.self, from: data)
        } catch let DecodingError.typeMismatch(_, context) {
            let key = context.codingPath.last?.stringValue ?? "?"
            throw AgentFailure.usage("config file \(path): \"\(key)\" has the wrong type")
        } catch {
            throw AgentFailure.usage("config file \(path) cannot be read: \(error)")
        }
    }
}
