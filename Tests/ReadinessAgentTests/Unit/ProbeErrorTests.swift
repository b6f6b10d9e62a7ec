#if canImport(Glibc)
import Glibc
import SystemCrypto
#elseif canImport(Darwin)
import Darwin
#endif
import ReadinessContract
@testable import Sockets
import Testing
@testable import ReadinessAgent

/// The agent reports failures in the contract's vocabulary, and a name that did not resolve
/// as `dns` (issue 13 §5), so the service can tell a resolver fault from a blocked port.
@Suite struct ProbeErrorTests {
    @Test(arguments: [
        (ETIMEDOUT, ProbeFailure.timeout), (ECONNREFUSED, .refused), (ECONNRESET, .reset), (EPIPE, .reset),
        (ENETUNREACH, .unreachable), (EHOSTUNREACH, .unreachable), (EACCES, .other),
    ])
    func mapsSocketErrorsToTheVocabulary(code: Int32, expected: ProbeFailure) {
        #expect(ProbeError.failure(for: SocketError("connect", code: code)) == expected)
    }

    @Test func mapsAResolverFailureToDNS() {
        #expect(ProbeError.failure(for: HostResolver.ResolutionError(host: "app.sococo.com", message: "Name or service not known")) == .dns)
    }

    @Test func mapsTLSAndAnythingElse() {
        struct Unexpected: Error {}
        #expect(ProbeError.failure(for: TLSError(message: "handshake failure")) == .tls)
        #expect(ProbeError.failure(for: Unexpected()) == .other)
    }

    /// `.invalid` never resolves (RFC 6761 §6.4), so this needs no network.
    @Test func aTCPProbeToANameThatDoesNotResolveReportsDNS() async {
        let probe = await TCPConnectProbe(timeout: .seconds(2)).run(.init(host: "readiness-test.invalid", port: 443))
        #expect(!probe.reachable)
        #expect(probe.error == "dns")
        #expect(probe.failure == .dns)
    }
}
