import Testing
@testable import ReadinessScoring

/// `HostPatterns` (a rule's destinations compiled for `RulePlan`) must answer as asking each
/// `DestinationPattern` in turn does, including the eight-byte case-folding compare.
@Suite struct HostPatternsTests {
    private let patterns = [
        "*.chime.aws", "*.media.example-long-domain.com", "exact.host.example.org", "short.io",
        "99.77.128.0/18", "2001:db8::/32",
    ]

    private func hosts() -> [String] {
        var hosts = [
            "media.chime.aws", "chime.aws", "MEDIA.Chime.AWS.", "evilchime.aws", "x.MEDIA.EXAMPLE-LONG-DOMAIN.COM",
            "media.example-long-domain.com", "EXACT.host.Example.ORG", "exact.host.example.org.", "exact.host.example.orgx",
            "short.io", "SHORT.IO", "99.77.130.1", "[2001:DB8::1]", "203.0.113.9", "", ".", "a.chime.aws.evil.com",
        ]
        // Every byte value at every position of a long name that otherwise matches, so each
        // lands in each lane of a word: only A-Z may fold to the pattern's letters.
        let base = Array("x.media.example-long-domain.com".utf8)
        for byte in UInt8(0)...UInt8(255) {
            for position in stride(from: 1, to: base.count, by: 3) {
                var bytes = base
                bytes[position] = byte
                hosts.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        return hosts
    }

    @Test func answersAsEachDestinationPatternInTurn() throws {
        let compiled = try patterns.map { try DestinationPattern.parse($0).get() }
        let hosts = hosts()
        // One expectation per subset, naming the hosts that disagree: an expectation per
        // host (thousands) made this test hold a cooperative thread for seconds.
        for subset in [compiled, Array(compiled.prefix(4)), [compiled[0]], [compiled[4]], compiled + [.any]] {
            let matcher = HostPatterns(subset)
            let disagreeing = hosts.filter { host in
                HostBytes.with(host) { matcher.matches($0) } != subset.contains { $0.matches(ProbeHost(host)) }
            }
            #expect(disagreeing.isEmpty, "\(disagreeing.map { Array($0.utf8) })")
        }
    }
}
