import HTTPClient
import ReadinessContract
import Sockets
import SystemClock
import SystemCrypto

/// TLS inspection: a TLS handshake to `host:443` with SNI, the chain checked against the
/// trust store and the leaf against the host name. A middlebox that re-signs traffic shows
/// as a chain that does not verify (its CA is not trusted here) or, on a machine that trusts
/// the middlebox's CA, as an issuer the policy does not expect.
struct TLSInspectionProbe: Sendable {
    let dialer: StreamDialer
    var port = 443
    var timeout: Duration = .seconds(5)

    /// Nil when the host cannot be reached at all: that is reachability's finding, not
    /// evidence of interception.
    func run(_ target: AgentPlan.TLSTarget) async -> ProbeResult.TLSInspectionProbe? {
        let dialer = dialer, port = port, timeout = timeout
        let peer: TLSPeerCheck
        do {
            peer = try await DedicatedThread.run(name: "probe-tls") { () throws -> TLSPeerCheck in
                let deadline = MonotonicTime.now() + timeout
                let opened = try dialer.open(secure: true, host: target.host, port: port, requireTrust: false, deadline: deadline)
                defer { opened.stream.close() }
                return opened.peer ?? TLSPeerCheck(chainVerified: false, hostMatches: false, issuer: nil, verifyError: "no TLS")
            }
        } catch is TLSError {
            // The connection opened but no handshake completed: something on the path speaks
            // for the host and cannot present its certificate.
            return .init(host: target.host, intercepted: true, issuer: nil)
        } catch {
            return nil
        }
        return .init(host: target.host, intercepted: Self.intercepted(peer, expected: target.expectedIssuers), issuer: peer.issuer)
    }

    static func intercepted(_ peer: TLSPeerCheck, expected: [String]?) -> Bool {
        guard peer.trusted else { return true }
        guard let expected, !expected.isEmpty, let issuer = peer.issuer else { return false }
        return !expected.contains(issuer)
    }
}
