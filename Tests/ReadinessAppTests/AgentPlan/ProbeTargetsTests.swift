import Testing
@testable import ReadinessApp

@Suite struct ProbeTargetsTests {
    @Test(arguments: [
        ("99.77.128.0/18", "99.77.128.1"),  // a network: its first host address
        ("198.18.2.2/32", "198.18.2.2"),  // a host route: the host itself, not the next address
        ("2001:db8::5/128", "2001:db8::5"),
        ("2001:db8::/32", "2001:db8::1"),
        ("*.chime.aws", "media.chime.aws"),
        ("198.18.2.2", "198.18.2.2"),
    ])
    func probesOneHostPerDestination(destination: String, host: String) {
        #expect(ProbeTargets.host(for: destination) == host)
    }

    @Test func anyDestinationNeedsNoTargetOfItsOwn() {
        #expect(ProbeTargets.host(for: "*") == nil)
    }
}
