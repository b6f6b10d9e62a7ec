import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessContract

/// Enumerations are read from the input's bytes (`ContractEnumeration`); the answer must be
/// the one `init(rawValue:)` gives for the same text.
@Suite struct ContractEnumerationTests {
    private func named<E: ContractEnumeration>(_ type: E.Type, _ text: String) -> E? {
        var text = text
        return text.withUTF8 { E.named($0) }
    }

    private func agrees<E: ContractEnumeration & Equatable>(_ type: E.Type) -> Bool {
        let names = E.allCases.map(\.rawValue)
        let others = ["", "u", "UDP", "udpx", " tcp", "tcp ", "websockets", "abcdefghijklmnop", "abcdefghijklmnopq", "nöne"]
        let candidates = names + names.map { String($0.dropLast()) } + names.map { $0 + "s" } + others
        return candidates.allSatisfy { named(type, $0) == E(rawValue: $0) }
    }

    @Test func everyEnumerationAnswersAsItsRawValueInitialiser() {
        #expect(agrees(ProbeResult.TransportProtocol.self))
        #expect(agrees(ProbeResult.GatewayKind.self))
        #expect(agrees(ProbeResult.Interface.self))
        #expect(agrees(ProbeResult.ProxyKind.self))
        #expect(agrees(ProbeResult.Tunnel.self))
    }

    @Test func aValueWrittenWithEscapesIsStillRecognised() throws {
        let escaped = Fixtures.contractExample.replacingOccurrences(of: "\"udp\"", with: "\"\\u0075dp\"")
        #expect(escaped != Fixtures.contractExample)
        let upload = try ProbeResultDecoder.decode(Data(escaped.utf8), now: Fixtures.exampleNow).get()
        let plain = try ProbeResultDecoder.decode(Data(Fixtures.contractExample.utf8), now: Fixtures.exampleNow).get()
        #expect(upload == plain)
    }

    @Test func anUnknownValueNamesTheAllowedOnes() {
        let bad = Fixtures.contractExample.replacingOccurrences(of: "\"udp\"", with: "\"udp-lite-extended-name\"")
        guard case let .failure(failure) = ProbeResultDecoder.decode(Data(bad.utf8), now: Fixtures.exampleNow) else {
            Issue.record("an unknown protocol was accepted")
            return
        }
        #expect(failure.faults.contains { $0.message == "must be one of \"tcp\", \"udp\"" })
    }
}
