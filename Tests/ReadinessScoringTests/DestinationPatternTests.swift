import Foundation
import Testing
@testable import ReadinessScoring

@Suite struct DestinationPatternTests {
    private func matches(_ pattern: String, _ host: String) throws -> Bool {
        try DestinationPattern.parse(pattern).get().matches(ProbeHost(host))
    }

    @Test(arguments: [
        ("99.77.128.0/18", "99.77.128.0", true), ("99.77.128.0/18", "99.77.191.255", true),
        ("99.77.128.0/18", "99.77.192.0", false), ("99.77.128.0/18", "99.77.127.255", false),
        ("99.77.128.0/18", "::ffff:99.77.130.1", true), ("99.77.128.0/18", "media.chime.aws", false),
        ("0.0.0.0/0", "203.0.113.9", true), ("203.0.113.9/32", "203.0.113.9", true), ("203.0.113.9/32", "203.0.113.10", false),
        ("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true), ("2001:db8::/32", "2001:db9::", false),
        ("2001:db8::/32", "[2001:DB8::1]", true), ("2001:db8::/32", "2001:db8::1%eth0", true),
        ("2001:db8:0:80::/57", "2001:db8:0:ff::1", true), ("2001:db8:0:80::/57", "2001:db8:0:7f::1", false),
        ("2001:db8::1/128", "2001:db8:0:0:0:0:0:1", true), ("2001:db8::/32", "99.77.128.1", false),
        ("::/0", "::1", true), ("64:ff9b::/96", "64:ff9b::99.77.128.1", true),
    ])
    func matchesCIDRBlocksAtTheirEdges(pattern: String, host: String, expected: Bool) throws {
        #expect(try matches(pattern, host) == expected)
    }

    @Test(arguments: [
        ("*.chime.aws", "media.chime.aws", true), ("*.chime.aws", "chime.aws", false), ("*.chime.aws", "a.b.chime.aws", true),
        ("*.chime.aws", "MEDIA.Chime.AWS.", true), ("*.chime.aws", "evilchime.aws", false), ("*.chime.aws", "chime.aws.evil.com", false),
        ("chime.aws", "chime.aws", true), ("chime.aws", "x.chime.aws", false), ("*", "anything.example", true),
        ("203.0.113.9", "203.0.113.9", true),
    ])
    func matchesHostPatterns(pattern: String, host: String, expected: Bool) throws {
        #expect(try matches(pattern, host) == expected)
    }

    @Test(arguments: ["1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1::2::3", "12345::", ":1::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8:9", "::1.2.3"])
    func rejectsMalformedAddresses(text: String) {
        #expect(IPAddress.parse(text) == nil)
    }
}
