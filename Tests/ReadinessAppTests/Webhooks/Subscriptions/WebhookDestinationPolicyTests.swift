import Sockets
import Testing
@testable import ReadinessApp

@Suite struct WebhookDestinationPolicyTests {
    static let strict = WebhookDestinationPolicy(allowPrivate: false)
    static let allowing = WebhookDestinationPolicy(allowPrivate: true)

    static let syntaxCases: [(String, WebhookDestinationPolicy.Refusal?)] = [
        ("https://hooks.example.com/readiness", nil),
        ("HTTPS://hooks.example.com:8443/x?y=1", nil),
        ("http://hooks.example.com/", .plainHTTP),
        ("ftp://hooks.example.com/", .scheme("ftp")),
        ("hooks.example.com/readiness", .notAbsolute),
        ("/v1/relative", .notAbsolute),
        ("https://user:secret@hooks.example.com/", .credentials),
        ("https://hooks.example.com/#frag", .fragment),
        ("https:///nohost", .noHost),
        ("https://exa mple.com/", .notAbsolute),
    ]

    @Test(arguments: syntaxCases)
    func urlSyntax(url: String, refusal: WebhookDestinationPolicy.Refusal?) {
        switch Self.strict.destination(of: url) {
        case .success: #expect(refusal == nil, "\(url) was accepted")
        case .failure(let found): #expect(found == refusal, "\(url)")
        }
    }

    @Test func destinationCarriesHostAndDefaultPorts() throws {
        #expect(try Self.strict.destination(of: "https://Hooks.Example.com/x").get()
            == .init(scheme: "https", host: "hooks.example.com", port: 443))
        #expect(try Self.allowing.destination(of: "http://[::1]:8080/x").get() == .init(scheme: "http", host: "::1", port: 8080))
        #expect(try Self.allowing.destination(of: "http://127.0.0.1/").get().port == 80)
    }

    @Test func theSettingAllowsPlainHTTPAndPrivateAddresses() async {
        let check = WebhookDestinationCheck(policy: Self.allowing) { _, _ in [try Self.address("10.0.0.5")] }
        #expect(await check.refusal(for: "http://127.0.0.1:9999/hook") == nil)
        #expect(await check.refusal(for: "http://internal.example/hook") == nil)
        // Syntax still counts.
        #expect(await check.refusal(for: "gopher://127.0.0.1/") == .scheme("gopher"))
    }

    @Test func literalAddressesAreJudgedWithoutResolving() async {
        let check = WebhookDestinationCheck(policy: Self.strict) { host, _ in
            Issue.record("resolved \(host)")
            return []
        }
        #expect(await check.refusal(for: "https://169.254.169.254/latest/meta-data/")
            == .address(host: "169.254.169.254", address: "169.254.169.254", .metadata))
        #expect(await check.refusal(for: "https://[fd00::1]/") == .address(host: "fd00::1", address: "fd00::1", .privateUse))
        #expect(await check.refusal(for: "https://93.184.216.34/hook") == nil)
    }

    @Test func aNameIsRefusedWhenAnyOfItsAddressesIsNotGlobal() async {
        let check = WebhookDestinationCheck(policy: Self.strict) { host, port in
            #expect(port == 443)
            switch host {
            case "public.example": return [try Self.address("93.184.216.34")]
            case "split.example": return [try Self.address("93.184.216.34"), try Self.address("10.1.2.3")]
            case "rebind.example": return [try Self.address("::ffff:127.0.0.1")]
            default: throw HostResolver.ResolutionError(host: host, message: "Name or service not known")
            }
        }
        #expect(await check.refusal(for: "https://public.example/x") == nil)
        #expect(await check.refusal(for: "https://split.example/x") == .address(host: "split.example", address: "10.1.2.3", .privateUse))
        #expect(await check.refusal(for: "https://rebind.example/x")
            == .address(host: "rebind.example", address: "::ffff:127.0.0.1", .loopback))
        #expect(await check.refusal(for: "https://nowhere.example/x")
            == .unresolvable(host: "nowhere.example", reason: "Name or service not known"))
    }

    @Test func theSystemResolverRefusesLocalhost() async {
        let check = WebhookDestinationCheck(policy: Self.strict)
        let refusal = await check.refusal(for: "https://localhost:8443/hook")
        guard case .address(let host, _, let kind) = refusal else {
            Issue.record("localhost was not refused as an address: \(String(describing: refusal))")
            return
        }
        #expect(host == "localhost")
        #expect(kind == .loopback)
    }

    static func address(_ text: String) throws -> SocketAddress {
        try #require(SocketAddress(ip: text, port: 443))
    }
}
