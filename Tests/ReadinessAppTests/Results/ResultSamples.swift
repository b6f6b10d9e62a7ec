import JSON
import Foundation

/// probe-result/v1 bodies for the upload tests: a good network and one that blocks everything.
enum ResultSamples {
    static func json(runID: UUID = UUID(), startedAt: Date = Date().addingTimeInterval(-120),
                     healthy: Bool = true, lossPct: Double = 0, hostname: String = "lobby-pc-3") -> [String: Any] {
        let started = RFC3339Timestamp.format(startedAt)
        let finished = RFC3339Timestamp.format(startedAt.addingTimeInterval(90))
        return [
            "schema": "probe-result/v1", "run_id": runID.uuidString.lowercased(),
            "agent": ["version": "1.0.0", "os": "linux", "hostname": hostname],
            "started_at": started, "finished_at": finished,
            "network": [
                "interface": "wired",
                "proxy": ["present": false, "kind": "none", "in_media_path": false],
                "vpn": ["present": false, "tunnel": "none", "media_excluded": false],
            ],
            "reachability": [
                ["protocol": "tcp", "host": "app.sococo.com", "port": 443, "reachable": healthy, "connect_ms": 21.4],
                ["protocol": "udp", "host": "reflector.example.net", "port": 443, "reachable": healthy, "connect_ms": 19.0],
                ["protocol": "tcp", "host": "media.chime.aws", "port": 443, "reachable": healthy, "connect_ms": 20.0],
                ["protocol": "udp", "host": "media.chime.aws", "port": 3478, "reachable": healthy, "connect_ms": 19.0],
            ],
            "gateway": [
                ["kind": "websocket", "host": "app.sococo.com", "allowed": true, "via_proxy": false, "status": 101],
                ["kind": "webrtc", "host": "media.chime.aws", "allowed": true, "via_proxy": false],
            ],
            "tls_inspection": [["host": "app.sococo.com", "intercepted": false, "issuer": "Amazon RSA 2048 M02"]],
            "udp_timeout": ["lower_bound_s": 3600, "probe_max_s": 3600],
            "latency": [[
                "host": "media.chime.aws", "protocol": "udp", "samples": 50,
                "rtt_ms": ["min": 18.2, "p50": 21.0, "p95": 35.5, "max": 60.1], "jitter_ms": 2.4, "loss_pct": lossPct,
            ]],
            "bandwidth": ["down_kbps": 94000, "up_kbps": 38000],
        ]
    }

    static func data(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    static func single(_ runID: UUID = UUID(), startedAt: Date = Date().addingTimeInterval(-120), healthy: Bool = true) -> Data {
        data(json(runID: runID, startedAt: startedAt, healthy: healthy))
    }

    static func batch(_ results: [[String: Any]]) -> Data { data(["results": results]) }
}
