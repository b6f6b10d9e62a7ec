/// The transport a site's media would end on, best first: direct UDP to the media servers,
/// UDP 443 only, TCP/TLS 443 as the last resort, or none.
public enum Transport: String, Codable, Sendable, CaseIterable {
    case udpMediaDirect = "udp_media_direct"
    case udp443Only = "udp_443_only"
    case tcpTLSFallback = "tcp_tls_fallback"
    case none
}

extension Policy {
    /// The best transport whose route passes. A flapping (warn) route does not count: the
    /// site cannot rely on it. Nil when none passes but some could not be decided.
    func transport(_ findings: [Finding]) -> Transport? {
        let candidates: [(Int, Transport)] = [
            (mediaRouteIndex, .udpMediaDirect), (udp443RouteIndex, .udp443Only), (tlsRouteIndex, .tcpTLSFallback),
        ]
        var undecided = false
        for (index, transport) in candidates {
            switch findings[index].status {
            case .pass: return transport
            case .unknown: undecided = true
            case .warn, .fail: continue
            }
        }
        return undecided ? nil : Transport.none
    }
}
