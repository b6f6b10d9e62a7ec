import ReadinessContractFixtures
import JSON
import Foundation
@testable import ReadinessContract
@testable import ReadinessScoring

/// Random inputs for the equivalence tests: results with every optional section and field
/// present or not, strings with characters JSON must escape, and doubles of every shape
/// Foundation spells differently (integers, exponents, negative zero, subnormals).
struct GeneratedInputs {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    /// A site's assessment by `policy` over up to 12 results finished in the 200,000 s before `now`.
    mutating func assessment(by policy: Policy, now: Date) -> SiteAssessment {
        let results = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
            result(finishedAt: now.addingTimeInterval(-double(0...200_000)))
        }
        return policy.assess(results, site: site(), now: now)
    }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &generator) < percent }

    mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &generator)] }

    mutating func double(_ range: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude) -> Double {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0:
            let shapes: [Double] = [0, -0.0, 1, 0.5, 100, 3600, 1e16, 1e15, 1e-7, .leastNonzeroMagnitude, 1.7976931348623157e308, 123_456_789.125, 0.1, 1e21]
            return pick(shapes.filter { range.contains($0) })
        case 1: return Double(Int.random(in: 0...100_000, using: &generator))
        case 2: return (Double.random(in: range, using: &generator) * 10).rounded() / 10
        default: return Double.random(in: range, using: &generator)
        }
    }

    mutating func string() -> String {
        let pieces = ["a", "media.chime.aws", "\"", "\\", "/", "\n", "\t", "\u{8}", "\u{c}", "\r", "\u{0}", "\u{1f}", "\u{7f}",
                      "é", "😀", "\u{2028}", "\u{feff}", " ", "Amazon RSA 2048 M02", "0123456789"]
        return (0..<Int.random(in: 0...6, using: &generator)).map { _ in pick(pieces) }.joined()
    }

    mutating func date() -> Date {
        let seconds = Double(Int.random(in: 1_700_000_000...1_900_000_000, using: &generator))
        return Date(timeIntervalSince1970: chance(50) ? seconds : seconds + Double(Int.random(in: 1...999_999, using: &generator)) / 1e6)
    }

    mutating func result(runID: UUID? = nil, finishedAt: Date? = nil, hosts: [String]? = nil) -> ProbeResult {
        let hosts = hosts ?? ["app.sococo.com", "as-vip.sococo.net", "media.chime.aws", "99.77.130.17", "reflector.example.net", string()]
        let finished = finishedAt ?? date()
        var result = ProbeResult(
            runID: runID ?? UUID(uuid: (UInt8.random(in: 0...255, using: &generator), 0x5c, 0x9a, 0x0e, 0x4c, 0x1b, 0x4f, 0x7e,
                                        0x9d, 0x1a, 0x2a, 0x6f, 0x3f, 0x0c, UInt8.random(in: 0...255, using: &generator),
                                        UInt8.random(in: 0...255, using: &generator))),
            agent: .init(version: string(), os: pick(["linux", "windows", string()]), hostname: chance(80) ? pick(["pc-1", "pc-2", "pc-3", string()]) : nil),
            startedAt: finished.addingTimeInterval(-double(0...600)), finishedAt: finished,
            network: .init(interface: pick(ProbeResult.Interface.allCases),
                           proxy: .init(present: chance(30), kind: pick(ProbeResult.ProxyKind.allCases), inMediaPath: chance(20)),
                           vpn: .init(present: chance(30), tunnel: pick(ProbeResult.Tunnel.allCases), mediaExcluded: chance(50))))
        if chance(90) {
            result.reachability = (0..<Int.random(in: 0...8, using: &generator)).map { _ in
                .init(pick(ProbeResult.TransportProtocol.allCases), pick(hosts), pick([443, 3478, 80]), reachable: chance(80),
                      connectMs: chance(70) ? double(0...500) : nil, error: chance(20) ? pick(["dns", "dns", "timeout", "refused", string()]) : nil)
            }
        }
        if chance(80) {
            result.gateway = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                .init(kind: pick(ProbeResult.GatewayKind.allCases), host: pick(hosts), allowed: chance(80), viaProxy: chance(20),
                      status: chance(50) ? pick([101, 403, 200]) : nil)
            }
        }
        if chance(80) {
            result.tlsInspection = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                .init(host: pick(hosts), intercepted: chance(20), issuer: chance(60) ? string() : nil)
            }
        }
        if chance(80) {
            let lower = pick([60, 121, 600, 1800, 3600, 7200, double(0...7200)])
            result.udpTimeout = .init(lowerBoundS: lower, upperBoundS: chance(50) ? lower + double(0...600) : nil,
                                      probeMaxS: pick([lower, 3600, 7200]))
        }
        if chance(85) {
            result.latency = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                let p50 = double(0...600)
                return .init(host: pick(hosts), pick(ProbeResult.TransportProtocol.allCases), samples: Int.random(in: 0...100, using: &generator),
                             rttMs: chance(85) ? .init(min: p50 / 2, p50: p50, p95: p50 + 1, max: p50 + 2) : nil,
                             jitterMs: chance(85) ? double(0...80) : nil, lossPct: double(0...10))
            }
        }
        if chance(85) {
            result.bandwidth = .init(downKbps: double(0...200_000), upKbps: double(0...80_000))
        }
        return result
    }

    mutating func site() -> SiteParameters {
        SiteParameters(expectedConcurrentUsers: Int.random(in: 0...200, using: &generator), longestCallS: pick([0, 600, 3600, 7200, double(0...10_000)]))
    }

    /// A finding with every optional field present or not (evaluations alone never leave some out).
    mutating func finding() -> Finding {
        var observed = Observed(value: chance(50) ? double() : nil, unit: chance(50) ? string() : nil)
        observed.upKbps = chance(50) ? double() : nil
        observed.downKbps = chance(50) ? double() : nil
        observed.probesMatched = chance(50) ? Int.random(in: 0...20, using: &generator) : nil
        observed.probesFailed = chance(50) ? Int.random(in: 0...20, using: &generator) : nil
        observed.runs = chance(50) ? Int.random(in: 0...2000, using: &generator) : nil
        observed.passFraction = chance(50) ? double(0...1) : nil
        let tiers: [TierOutcome] = (0..<Int.random(in: 0...2, using: &generator)).map { _ in
            TierOutcome(tier: pick(Tier.allCases), status: pick(FindingStatus.allCases),
                        threshold: chance(60) ? Threshold(comparison: chance(70) ? pick(Comparison.allCases) : nil,
                                                          value: chance(50) ? double() : nil, unit: chance(50) ? string() : nil,
                                                          upKbps: chance(50) ? double() : nil, downKbps: chance(50) ? double() : nil) : nil,
                        source: pick(SourceTag.allCases))
        }
        return Finding(ruleID: string(), code: string(), kind: pick(RuleKind.allCases), status: pick(FindingStatus.allCases),
                       blocks: chance(50) ? pick(Tier.allCases) : nil, observed: observed,
                       hosts: chance(30) ? (0..<Int.random(in: 0...3, using: &generator)).map { _ in string() } : nil, tiers: tiers, source: pick(SourceTag.allCases),
                       citation: string(), remediation: string(),
                       confidence: chance(50) ? Confidence(samples: Int.random(in: 0...99, using: &generator),
                                                           newestAgeS: chance(80) ? double() : nil, oldestAgeS: chance(80) ? double() : nil) : nil)
    }

    mutating func figure() -> Figure? {
        chance(70) ? Figure(value: double(), samples: Int.random(in: 0...999, using: &generator), newestAgeS: double(), oldestAgeS: double()) : nil
    }
}

/// The encoder whose bytes the service stored before `JSONWriter`: the reference.
enum FoundationJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339Timestamp.format(date))
        }
        return encoder
    }
}
