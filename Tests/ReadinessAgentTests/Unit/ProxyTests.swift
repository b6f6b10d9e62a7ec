import HTTPClient
import Testing
@testable import ReadinessAgent

@Suite struct ProxyEnvironmentTests {
    @Test func lowerCaseWinsAndUpperCaseIsRead() {
        let env = ProxyEnvironment(environment: [
            "http_proxy": "http://lower:3128", "HTTP_PROXY": "http://upper:3128", "HTTPS_PROXY": "proxy.corp:8080",
        ])
        #expect(env.httpProxy?.host == "lower")
        #expect(env.httpsProxy?.host == "proxy.corp")
        #expect(env.httpsProxy?.port == 8080)
        #expect(env.httpsProxy?.scheme == "http")
    }

    @Test func proxyURLWithoutPortUsesCurlsDefaultAndKeepsCredentialsOutOfItsDescription() throws {
        let proxy = try #require(ProxyEndpoint("http://alice:s%3Fcret@gw.example"))
        #expect(proxy.port == 1080)
        #expect(proxy.authorization == "Basic " + Data("alice:s?cret".utf8).base64EncodedString())
        #expect(!proxy.description.contains("alice"))
        #expect(ProxyEndpoint("  ") == nil)
    }

    @Test func allProxyIsTheFallbackForBothSchemes() {
        let env = ProxyEnvironment(environment: ["all_proxy": "http://any:1", "https_proxy": "http://tls:2"])
        #expect(env.proxy(secure: false, host: "a.example")?.host == "any")
        #expect(env.proxy(secure: true, host: "a.example")?.host == "tls")
        #expect(ProxyEnvironment(environment: [:]).proxy(secure: true, host: "a") == nil)
    }

    @Test(arguments: [
        ("example.com", "example.com", true),
        ("example.com", "www.example.com", true),
        (".example.com", "www.example.com", true),
        ("*.example.com", "media.example.com", true),
        ("example.com", "badexample.com", false),
        ("example.com:443", "example.com", true),
        ("10.0.0.0/8", "10.1.2.3", true),
        ("10.0.0.0/8", "11.1.2.3", false),
        ("192.0.2.7", "192.0.2.7", true),
        ("*", "anything.example", true),
        ("", "example.com", false),
        ("a.example, media.chime.aws ", "MEDIA.CHIME.AWS.", true),
    ])
    func noProxyMatching(list: String, host: String, excluded: Bool) {
        #expect(NoProxyList(list).excludes(host) == excluded)
    }

    @Test func noProxyExcludesHostFromProxy() {
        let env = ProxyEnvironment(environment: ["https_proxy": "http://gw:3128", "no_proxy": "chime.aws"])
        #expect(env.proxy(secure: true, host: "media.chime.aws") == nil)
        #expect(env.proxy(secure: true, host: "app.sococo.com")?.host == "gw")
    }
}

@Suite struct ProxyDetectionTests {
    @Test func explicitProxyIsInTheMediaPathUnlessNoProxyExcludesEveryMediaHost() {
        let proxied = ProxyEnvironment(environment: ["https_proxy": "http://gw:3128"])
        #expect(ProxyDetection(environment: proxied, desktopMode: nil, sawVia: false).detect(mediaHosts: ["media.chime.aws"])
            == .init(present: true, kind: .explicit, inMediaPath: true))
        let excluded = ProxyEnvironment(environment: ["https_proxy": "http://gw:3128", "NO_PROXY": ".chime.aws,reflector.example"])
        #expect(ProxyDetection(environment: excluded, desktopMode: nil, sawVia: false).detect(mediaHosts: ["media.chime.aws", "reflector.example"])
            == .init(present: true, kind: .explicit, inMediaPath: false))
    }

    @Test func desktopAutoConfigurationIsPACAndViaWithoutProxyIsTransparent() {
        let none = ProxyEnvironment(environment: [:])
        #expect(ProxyDetection(environment: none, desktopMode: "auto", sawVia: false).detect(mediaHosts: ["m"]).kind == .pac)
        #expect(ProxyDetection(environment: none, desktopMode: "none", sawVia: true).detect(mediaHosts: ["m"]).kind == .transparent)
        #expect(ProxyDetection(environment: none, desktopMode: "none", sawVia: false).detect(mediaHosts: ["m"]) == .none)
    }
}

import Foundation
