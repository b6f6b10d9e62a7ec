import Foundation

extension ProbeResult {
    public enum TransportProtocol: String, Codable, Sendable, CaseIterable {
        case tcp, udp
    }

    /// One connection attempt. `connectMs` is the TCP connect time, or for UDP the first
    /// reply's round trip.
    public struct ReachabilityProbe: Codable, Sendable, Equatable {
        public var `protocol`: TransportProtocol
        public var host: String
        public var port: Int
        public var reachable: Bool
        public var connectMs: Double?
        public var error: String?

        typealias CodingKeys = ReachabilityField

        public init(_ proto: TransportProtocol, _ host: String, _ port: Int, reachable: Bool, connectMs: Double? = nil, error: String? = nil) {
            self.protocol = proto
            self.host = host
            self.port = port
            self.reachable = reachable
            self.connectMs = connectMs
            self.error = error
        }
    }

    public enum GatewayKind: String, Codable, Sendable, CaseIterable {
        case websocket, webrtc
    }

    public struct GatewayProbe: Codable, Sendable, Equatable {
        public var kind: GatewayKind
        public var host: String
        public var allowed: Bool
        public var viaProxy: Bool
        public var status: Int?

        typealias CodingKeys = GatewayField

        public init(kind: GatewayKind, host: String, allowed: Bool, viaProxy: Bool = false, status: Int? = nil) {
            self.kind = kind
            self.host = host
            self.allowed = allowed
            self.viaProxy = viaProxy
            self.status = status
        }
    }

    public struct TLSInspectionProbe: Codable, Sendable, Equatable {
        public var host: String
        public var intercepted: Bool
        public var issuer: String?

        typealias CodingKeys = TLSInspectionField

        public init(host: String, intercepted: Bool, issuer: String? = nil) {
            self.host = host
            self.intercepted = intercepted
            self.issuer = issuer
        }
    }

    /// The firewall's UDP binding lifetime as bracketed by the agent: the binding still
    /// carried traffic after `lowerBoundS` idle seconds; it had expired after `upperBoundS`
    /// (nil when no expiry was seen); the probe gives up after `probeMaxS`.
    public struct UDPTimeoutProbe: Codable, Sendable, Equatable {
        public var lowerBoundS: Double
        public var upperBoundS: Double?
        public var probeMaxS: Double

        typealias CodingKeys = UDPTimeoutField

        public init(lowerBoundS: Double, upperBoundS: Double? = nil, probeMaxS: Double) {
            self.lowerBoundS = lowerBoundS
            self.upperBoundS = upperBoundS
            self.probeMaxS = probeMaxS
        }
    }

    public struct LatencyProbe: Codable, Sendable, Equatable {
        public var host: String
        public var `protocol`: TransportProtocol
        public var samples: Int
        /// Absent when no sample came back (100 % loss).
        public var rttMs: RTTSummary?
        public var jitterMs: Double?
        public var lossPct: Double

        typealias CodingKeys = LatencyField

        public init(host: String, _ proto: TransportProtocol = .udp, samples: Int, rttMs: RTTSummary?, jitterMs: Double?, lossPct: Double) {
            self.host = host
            self.protocol = proto
            self.samples = samples
            self.rttMs = rttMs
            self.jitterMs = jitterMs
            self.lossPct = lossPct
        }
    }

    public struct RTTSummary: Codable, Sendable, Equatable {
        public var min: Double
        public var p50: Double
        public var p95: Double
        public var max: Double

        typealias CodingKeys = RTTField

        public init(min: Double, p50: Double, p95: Double, max: Double) {
            self.min = min
            self.p50 = p50
            self.p95 = p95
            self.max = max
        }
    }

    /// Kilobits per second.
    public struct BandwidthProbe: Codable, Sendable, Equatable {
        public var downKbps: Double
        public var upKbps: Double

        typealias CodingKeys = BandwidthField

        public init(downKbps: Double, upKbps: Double) {
            self.downKbps = downKbps
            self.upKbps = upKbps
        }
    }
}
