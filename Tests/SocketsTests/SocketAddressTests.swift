import Testing
@testable import Sockets

@Suite struct SocketAddressTests {
    @Test func parsesAndFormatsNumericAddresses() throws {
        let v4 = try #require(SocketAddress(ip: "192.0.2.1", port: 3478))
        #expect(v4.ipBytes == [192, 0, 2, 1])
        #expect(v4.family == .ipv4)
        #expect(v4.description == "192.0.2.1:3478")
        let v6 = try #require(SocketAddress(ip: "2001:DB8:0:0::1", port: 443))
        #expect(v6.ipBytes.count == 16)
        #expect(v6.ip == "2001:db8::1")
        #expect(v6.description == "[2001:db8::1]:443")
    }

    @Test(arguments: ["", "localhost", "1.2.3", "1.2.3.256", "::g", "[::1]", "1.2.3.4:5"])
    func rejectsNonNumericText(text: String) {
        #expect(SocketAddress(ip: text, port: 1) == nil)
    }

    @Test func acceptsOnlyFourOrSixteenBytes() {
        #expect(SocketAddress(ipBytes: [1, 2, 3], port: 1) == nil)
        #expect(SocketAddress(ipBytes: [1, 2, 3, 4], port: 1)?.ip == "1.2.3.4")
    }

    @Test func resolvesNumericAndNamedHosts() throws {
        #expect(try SocketAddress.resolve(host: "10.1.2.3", port: 9) == [SocketAddress(ip: "10.1.2.3", port: 9)!])
        let local = try SocketAddress.resolve(host: "localhost", port: 7)
        #expect(!local.isEmpty)
        #expect(local.allSatisfy { $0.port == 7 && ($0.ip == "127.0.0.1" || $0.ip == "::1") })
        #expect(throws: SocketError.self) { try SocketAddress.resolve(host: "no-such-host.invalid", port: 1) }
    }

    @Test(arguments: [
        ("127.0.0.1:3478", "127.0.0.1", 3478),
        ("[::1]:3478", "::1", 3478),
        ("[::]:0", "::", 0),
        ("reflector.example:443", "reflector.example", 443),
    ])
    func splitsHostAndPort(text: String, host: String, port: Int) throws {
        let split = try #require(SocketAddress.splitHostPort(text))
        #expect(split.host == host)
        #expect(Int(split.port) == port)
    }

    @Test(arguments: ["127.0.0.1", "::1:3478", "[::1]", "[::1]3478", ":3478", "host:", "host:65536", "host:-1", "host:+1"])
    func rejectsMalformedHostPort(text: String) {
        #expect(SocketAddress.splitHostPort(text) == nil)
    }
}
