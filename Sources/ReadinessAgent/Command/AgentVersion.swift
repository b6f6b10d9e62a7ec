/// The agent's own version, reported in every result (`agent.version`) and `User-Agent`.
public enum AgentVersion {
    public static let version = "0.3.0"
    static let userAgent = "readiness-agent/\(version)"
}
