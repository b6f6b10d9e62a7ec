import Foundation
import ReadinessContract

/// Shared inputs of the contract's and scoring's tests: the contract's example upload, a result
/// that meets every optimal rule of the default policy, and helpers to vary one thing at a time.
/// Scoring's tests add the site and the policy (`Fixtures+Scoring.swift` there).
public enum Fixtures {
    public static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18

    public static func optimalResult(runID: UUID = UUID(uuidString: "7D5C9A0E-4C1B-4F7E-9D1A-2A6F3F0C8B11") ?? UUID(),
                              finishedAt: Date = now) -> ProbeResult {
        ProbeResult(
            runID: runID,
            agent: .init(version: "1.0.0", os: "linux", hostname: "lobby-pc-3"),
            startedAt: finishedAt.addingTimeInterval(-90), finishedAt: finishedAt,
            network: .init(interface: .wired, proxy: .none, vpn: .none),
            reachability: [
                .init(.tcp, "app.sococo.com", 443, reachable: true, connectMs: 21.4),
                .init(.tcp, "as-vip.sococo.net", 443, reachable: true, connectMs: 22),
                .init(.tcp, "media.chime.aws", 443, reachable: true, connectMs: 19),
                .init(.udp, "media.chime.aws", 3478, reachable: true, connectMs: 18),
                .init(.udp, "reflector.example.net", 443, reachable: true, connectMs: 19),
            ],
            gateway: [
                .init(kind: .websocket, host: "app.sococo.com", allowed: true, status: 101),
                .init(kind: .webrtc, host: "media.chime.aws", allowed: true),
            ],
            tlsInspection: [.init(host: "app.sococo.com", intercepted: false, issuer: "Amazon RSA 2048 M02")],
            udpTimeout: .init(lowerBoundS: 3600, upperBoundS: nil, probeMaxS: 3600),
            latency: [.init(host: "media.chime.aws", samples: 50, rttMs: rtt(40), jitterMs: 5, lossPct: 0)],
            bandwidth: .init(downKbps: 94_000, upKbps: 38_000)
        )
    }

    public static func rtt(_ p50: Double) -> ProbeResult.RTTSummary {
        .init(min: min(p50, 10), p50: p50, p95: p50 + 10, max: p50 + 20)
    }

    /// The contract's example upload, verbatim.
    public static let contractExample = """
    {
      "schema": "probe-result/v1",
      "run_id": "7d5c9a0e-4c1b-4f7e-9d1a-2a6f3f0c8b11",
      "agent": { "version": "1.0.0", "os": "linux", "hostname": "lobby-pc-3" },
      "started_at": "2026-11-24T10:00:00Z",
      "finished_at": "2026-11-24T10:01:30Z",
      "network": {
        "interface": "wired",
        "proxy": { "present": false, "kind": "none", "in_media_path": false },
        "vpn": { "present": true, "tunnel": "split", "media_excluded": true }
      },
      "reachability": [
        { "protocol": "tcp", "host": "app.sococo.com", "port": 443, "reachable": true, "connect_ms": 21.4 },
        { "protocol": "udp", "host": "media.chime.aws", "port": 3478, "reachable": false, "error": "timeout" },
        { "protocol": "udp", "host": "reflector.example.net", "port": 443, "reachable": true, "connect_ms": 19.0 }
      ],
      "gateway": [
        { "kind": "websocket", "host": "app.sococo.com", "allowed": true, "via_proxy": false, "status": 101 },
        { "kind": "webrtc", "host": "media.chime.aws", "allowed": true, "via_proxy": false }
      ],
      "tls_inspection": [
        { "host": "app.sococo.com", "intercepted": false, "issuer": "Amazon RSA 2048 M02" }
      ],
      "udp_timeout": { "lower_bound_s": 600, "upper_bound_s": null, "probe_max_s": 600 },
      "latency": [
        { "host": "media.chime.aws", "protocol": "udp", "samples": 50,
          "rtt_ms": { "min": 18.2, "p50": 21.0, "p95": 35.5, "max": 60.1 },
          "jitter_ms": 2.4, "loss_pct": 0.0 }
      ],
      "bandwidth": { "down_kbps": 94000, "up_kbps": 38000 }
    }
    """

    /// 2026-11-24T10:05:00Z, a few minutes after the example ran.
    public static let exampleNow = Date(timeIntervalSince1970: 1_795_514_700)

    /// The example with `edit` applied to its JSON object tree.
    public static func editedExample(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        var object = try JSONSerialization.jsonObject(with: Data(contractExample.utf8)) as? [String: Any] ?? [:]
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }
}
