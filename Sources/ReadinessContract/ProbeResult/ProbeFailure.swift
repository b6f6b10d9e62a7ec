/// Why a reachability probe failed: the open vocabulary of `reachability[].error`
/// (probe-result/v1, added without a version change). Agents may send other words: the
/// result stores them as sent and scoring reads them as `other`, so an older or newer agent
/// is never rejected for its wording.
public enum ProbeFailure: String, Sendable, CaseIterable {
    /// The host's name did not resolve: a resolver or DNS-filtering fault, not a blocked port.
    case dns
    /// No answer within the probe's bound (a firewall that drops packets).
    case timeout
    /// Actively refused (TCP RST to the SYN, ICMP port unreachable).
    case refused
    /// The connection was reset after it was set up.
    case reset
    /// No route to the host or network.
    case unreachable
    /// The TLS handshake failed.
    case tls
    /// Anything else, and any word outside this vocabulary.
    case other

    /// The word as an agent reported it; unknown words read as `other`.
    public init(reported word: String) {
        self = Self(rawValue: word) ?? .other
    }
}

extension ProbeResult.ReachabilityProbe {
    /// The reported failure in the vocabulary; nil when the agent gave no reason.
    public var failure: ProbeFailure? { error.map(ProbeFailure.init(reported:)) }

    /// Whether the probe never reached the network because the host's name did not resolve:
    /// such a probe says nothing about the port, so route rules leave it out. Inlinable:
    /// scoring asks it of every probe, and across the module boundary each call copied the
    /// probe out of its array (strings retained and released) to call a getter.
    @inlinable
    public var isUnresolved: Bool { !reachable && error == ProbeFailure.dns.rawValue }
}
