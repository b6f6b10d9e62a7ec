import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessScoring

/// The optimised evaluator (rule plans, compact statuses, shared finding templates) must give
/// exactly the assessment of the plain reference, byte for byte in JSON, on varied results.
@Suite struct EvaluationEquivalenceTests {
    static let variations: [Variation] = [
        Variation("optimal fixture") { _ in },
        Variation("upper-case hosts and trailing dots") { result in
            result.reachability = result.reachability?.map { probe in
                var probe = probe
                probe.host = probe.host.uppercased() + "."
                return probe
            }
            result.latency = [.init(host: "MEDIA.Chime.AWS.", samples: 50, rttMs: Fixtures.rtt(90), jitterMs: 7, lossPct: 0.4)]
        },
        Variation("apex and look-alike hosts") { result in
            result.reachability = [.init(.udp, "chime.aws", 3478, reachable: true), .init(.tcp, "xchime.aws", 443, reachable: false),
                                   .init(.udp, "media.chime.aws.evil.com", 3478, reachable: true)]
            result.tlsInspection = [.init(host: "sococo.com", intercepted: true)]
        },
        Variation("IP literals inside and outside the media CIDR") { result in
            result.reachability = [.init(.udp, "99.77.130.17", 3478, reachable: true), .init(.udp, "99.77.192.1", 3478, reachable: false),
                                   .init(.udp, "[::ffff:99.77.128.9]", 3478, reachable: true), .init(.udp, "fe80::1%eth0", 3478, reachable: false)]
            result.latency = [
                .init(host: "99.77.129.1", samples: 50, rttMs: Fixtures.rtt(120), jitterMs: 12, lossPct: 1.5),
                .init(host: "::ffff:99.77.140.2", samples: 50, rttMs: Fixtures.rtt(200), jitterMs: 35, lossPct: 0.5),
                .init(host: "10.0.0.1", samples: 50, rttMs: Fixtures.rtt(900), jitterMs: 90, lossPct: 50),
            ]
        },
        Variation("even number of latency probes, one without RTT") { result in
            result.latency = [
                .init(host: "media.chime.aws", samples: 50, rttMs: Fixtures.rtt(140), jitterMs: 20, lossPct: 0),
                .init(host: "app.sococo.com", samples: 50, rttMs: nil, jitterMs: nil, lossPct: 100),
                .init(host: "as-vip.sococo.net", samples: 50, rttMs: Fixtures.rtt(410), jitterMs: 60, lossPct: 4),
                .init(host: "x.chime.aws", samples: 50, rttMs: Fixtures.rtt(20), jitterMs: 1, lossPct: 0),
            ]
        },
        Variation("every probe section missing") { result in
            result.reachability = nil; result.gateway = nil; result.tlsInspection = nil
            result.udpTimeout = nil; result.latency = nil; result.bandwidth = nil
        },
        Variation("empty probe lists") { result in
            result.reachability = []; result.gateway = []; result.tlsInspection = []; result.latency = []
        },
        Variation("media blocked, proxy and full VPN in the path") { result in
            result.setReachable(.udp, "media.chime.aws", 3478, false)
            result.network = .init(interface: .wifi, proxy: .init(present: true, kind: .explicit, inMediaPath: true),
                                   vpn: .init(present: true, tunnel: .full, mediaExcluded: false))
        },
        Variation("only TLS 443 left, gateway blocked") { result in
            result.reachability = [.init(.tcp, "app.sococo.com", 443, reachable: true), .init(.udp, "media.chime.aws", 3478, reachable: false),
                                   .init(.udp, "reflector.example.net", 443, reachable: false)]
            result.gateway = [.init(kind: .websocket, host: "app.sococo.com", allowed: false, status: 403)]
        },
        Variation("short UDP timeout seen to expire") { result in
            result.udpTimeout = .init(lowerBoundS: 90, upperBoundS: 100, probeMaxS: 3600)
        },
        Variation("UDP timeout probe stopped early") { result in
            result.udpTimeout = .init(lowerBoundS: 600, upperBoundS: nil, probeMaxS: 600)
        },
        Variation("thin and zero bandwidth") { result in
            result.bandwidth = .init(downKbps: 3000, upKbps: 0)
        },
        Variation("metrics exactly at their limits") { result in
            result.setLatency(rtt: 150, jitter: 30, loss: 1)
        },
        Variation("metrics past the minimal limits") { result in
            result.setLatency(rtt: 401, jitter: 50, loss: 5)
        },
    ]

    static let sites = [
        Fixtures.site,
        SiteParameters(expectedConcurrentUsers: 0, longestCallS: 0),
        SiteParameters(expectedConcurrentUsers: 400, longestCallS: 7200),
    ]

    @Test(arguments: variations)
    func evaluatesExactlyAsTheReference(variation: Variation) throws {
        let policy = try Fixtures.policy()
        var result = Fixtures.optimalResult()
        variation.apply(&result)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for site in Self.sites {
            let optimised = policy.evaluate(result, site: site)
            let reference = ReferenceEvaluator.evaluate(policy, result, site: site)
            #expect(optimised == reference, "site \(site)")
            #expect(try encoder.encode(optimised) == encoder.encode(reference))
            #expect(policy.evaluate(result, site: site) == optimised, "deterministic")
        }
    }

    @Test func keepsTheHostMatchingOfTheNormalisingReference() throws {
        let policy = try Fixtures.policy()
        let hosts = ["Media.Chime.AWS.", "chime.aws", "CHIME.AWS", "a.b.sdkassets.chime.aws", "99.77.191.255", "99.77.192.0",
                     "[::FFFF:99.77.128.1]", "::ffff:99.77.128.1", "s3.us-east-1.amazonaws.com.", "", ".", "app.sococo.com.."]
        for host in hosts {
            for (plan, rule) in zip(policy.plans, policy.rules) where !rule.destinations.isEmpty {
                #expect(plan.matches(host) == ReferenceEvaluator.Host(host).matches(rule), "\(host) against \(rule.id)")
            }
        }
    }
}
