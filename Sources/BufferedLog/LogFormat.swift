/// How a log line is written (`READINESS_LOG_FORMAT`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// For people: `2026-12-05T02:09:29.123Z info readiness: request method=GET status=200`.
    case text
    /// For log shippers (Loki, Elasticsearch, CloudWatch): one JSON object per line with
    /// `time` (RFC 3339, UTC), `level`, `label`, `message` and a `metadata` object.
    case json
}
