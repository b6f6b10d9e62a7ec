import Sockets
import Testing
@testable import ReadinessApp

/// Every special-purpose block a webhook must not reach without READINESS_WEBHOOK_ALLOW_PRIVATE,
/// at its edges, and the public addresses beside them.
@Suite struct DestinationAddressClassTests {
    static let cases: [(String, DestinationAddressClass)] = [
        // IPv4
        ("0.0.0.0", .unspecified), ("0.255.255.255", .unspecified),
        ("127.0.0.1", .loopback), ("127.255.255.254", .loopback),
        ("10.0.0.1", .privateUse), ("10.255.255.255", .privateUse),
        ("172.16.0.1", .privateUse), ("172.31.255.255", .privateUse), ("172.15.255.255", .global), ("172.32.0.0", .global),
        ("192.168.1.1", .privateUse), ("192.169.0.1", .global),
        ("100.64.0.1", .privateUse), ("100.127.255.255", .privateUse), ("100.63.255.255", .global), ("100.128.0.0", .global),
        ("169.254.0.1", .linkLocal), ("169.254.255.255", .linkLocal),
        ("169.254.169.254", .metadata), ("169.254.170.2", .metadata), ("100.100.100.200", .metadata), ("192.0.0.192", .metadata),
        ("224.0.0.1", .multicast), ("239.255.255.255", .multicast),
        ("192.0.0.8", .reserved), ("192.0.2.10", .reserved), ("198.18.0.1", .reserved), ("198.19.255.255", .reserved),
        ("198.51.100.7", .reserved), ("203.0.113.9", .reserved), ("240.0.0.1", .reserved), ("255.255.255.255", .reserved),
        ("1.1.1.1", .global), ("8.8.8.8", .global), ("93.184.216.34", .global), ("198.20.0.1", .global), ("223.255.255.255", .global),
        // IPv6
        ("::", .unspecified), ("::1", .loopback),
        ("::ffff:127.0.0.1", .loopback), ("::ffff:169.254.169.254", .metadata), ("::ffff:10.1.2.3", .privateUse),
        ("::ffff:8.8.8.8", .global), ("::10.0.0.1", .privateUse),
        ("64:ff9b::a9fe:a9fe", .metadata), ("64:ff9b::808:808", .global), ("64:ff9b:1::1", .privateUse),
        ("2002:7f00:1::", .loopback), ("2002:0808:0808::1", .global),
        ("fc00::1", .privateUse), ("fd00::1", .privateUse), ("fdff:ffff::1", .privateUse),
        ("fd00:ec2::254", .metadata),
        ("fe80::1", .linkLocal), ("febf::1", .linkLocal), ("fec0::1", .privateUse),
        ("ff02::1", .multicast), ("100::1", .reserved), ("2001:db8::1", .reserved), ("2001::1", .reserved),
        ("3fff::1", .reserved),
        ("2001:4860:4860::8888", .global), ("2606:4700:4700::1111", .global), ("2a00:1450::1", .global),
    ]

    @Test(arguments: cases)
    func classifiesTheAddress(address: String, expected: DestinationAddressClass) throws {
        let parsed = try #require(SocketAddress(ip: address, port: 443), "\(address) parses")
        #expect(DestinationAddressClass(ipBytes: parsed.ipBytes) == expected, "\(address)")
    }

    @Test func anyOtherLengthIsReserved() {
        #expect(DestinationAddressClass(ipBytes: []) == .reserved)
        #expect(DestinationAddressClass(ipBytes: [1, 2, 3]) == .reserved)
    }
}
