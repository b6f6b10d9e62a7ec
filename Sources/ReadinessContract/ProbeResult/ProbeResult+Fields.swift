import JSON
/// The member names of every object in `probe-result/v1` (shared/reference/probe-result-v1.md),
/// in the order agents write them, so filing a member usually stops at its first compare.
/// Spelled only here: the contract reader files members by them, the Codable types use them as
/// their coding keys (`ContractFields+CodingKey`), and the canonical writer writes them.
enum ResultField: Int, ContractFields, CodingKey {
    case schema, runID, agent, startedAt, finishedAt, network, reachability, gateway, tlsInspection, udpTimeout, latency, bandwidth

    var name: StaticString {
        switch self {
        case .schema: "schema"
        case .runID: "run_id"
        case .agent: "agent"
        case .startedAt: "started_at"
        case .finishedAt: "finished_at"
        case .network: "network"
        case .reachability: "reachability"
        case .gateway: "gateway"
        case .tlsInspection: "tls_inspection"
        case .udpTimeout: "udp_timeout"
        case .latency: "latency"
        case .bandwidth: "bandwidth"
        }
    }
}

enum AgentField: Int, ContractFields, CodingKey {
    case version, os, hostname

    var name: StaticString {
        switch self {
        case .version: "version"
        case .os: "os"
        case .hostname: "hostname"
        }
    }
}

enum NetworkField: Int, ContractFields, CodingKey {
    case interface, proxy, vpn

    var name: StaticString {
        switch self {
        case .interface: "interface"
        case .proxy: "proxy"
        case .vpn: "vpn"
        }
    }
}

enum ProxyField: Int, ContractFields, CodingKey {
    case present, kind, inMediaPath

    var name: StaticString {
        switch self {
        case .present: "present"
        case .kind: "kind"
        case .inMediaPath: "in_media_path"
        }
    }
}

enum VPNField: Int, ContractFields, CodingKey {
    case present, tunnel, mediaExcluded

    var name: StaticString {
        switch self {
        case .present: "present"
        case .tunnel: "tunnel"
        case .mediaExcluded: "media_excluded"
        }
    }
}

enum ReachabilityField: Int, ContractFields, CodingKey {
    case `protocol`, host, port, reachable, connectMs, error

    var name: StaticString {
        switch self {
        case .protocol: "protocol"
        case .host: "host"
        case .port: "port"
        case .reachable: "reachable"
        case .connectMs: "connect_ms"
        case .error: "error"
        }
    }
}

enum GatewayField: Int, ContractFields, CodingKey {
    case kind, host, allowed, viaProxy, status

    var name: StaticString {
        switch self {
        case .kind: "kind"
        case .host: "host"
        case .allowed: "allowed"
        case .viaProxy: "via_proxy"
        case .status: "status"
        }
    }
}

enum TLSInspectionField: Int, ContractFields, CodingKey {
    case host, intercepted, issuer

    var name: StaticString {
        switch self {
        case .host: "host"
        case .intercepted: "intercepted"
        case .issuer: "issuer"
        }
    }
}

enum UDPTimeoutField: Int, ContractFields, CodingKey {
    case lowerBoundS, upperBoundS, probeMaxS

    var name: StaticString {
        switch self {
        case .lowerBoundS: "lower_bound_s"
        case .upperBoundS: "upper_bound_s"
        case .probeMaxS: "probe_max_s"
        }
    }
}

enum LatencyField: Int, ContractFields, CodingKey {
    case host, `protocol`, samples, rttMs, jitterMs, lossPct

    var name: StaticString {
        switch self {
        case .host: "host"
        case .protocol: "protocol"
        case .samples: "samples"
        case .rttMs: "rtt_ms"
        case .jitterMs: "jitter_ms"
        case .lossPct: "loss_pct"
        }
    }
}

enum RTTField: Int, ContractFields, CodingKey {
    case min, p50, p95, max

    var name: StaticString {
        switch self {
        case .min: "min"
        case .p50: "p50"
        case .p95: "p95"
        case .max: "max"
        }
    }
}

enum BandwidthField: Int, ContractFields, CodingKey {
    case downKbps, upKbps

    var name: StaticString {
        switch self {
        case .downKbps: "down_kbps"
        case .upKbps: "up_kbps"
        }
    }
}
