import Foundation
import Testing
@testable import ReadinessDomain

/// Improving any one measurement never lowers the verdict or the score, over generated results.
@Suite struct PropertyTests {
    let policy: Policy
    init() throws { policy = try Fixtures.policy() }

    /// Verdict order for the property: not_ready < insufficient_data < minimal < optimal.
    private func rank(_ evaluation: ResultEvaluation) -> Int { evaluation.verdict.rank ?? -1 }

    private func randomResult(_ generator: inout SeededGenerator) -> ProbeResult {
        var result = Fixtures.optimalResult()
        result.setLatency(rtt: Double.random(in: 0...600, using: &generator).rounded(),
                          jitter: Double.random(in: 0...80, using: &generator).rounded(),
                          loss: Double.random(in: 0...8, using: &generator))
        result.bandwidth = .init(downKbps: Double.random(in: 0...60_000, using: &generator).rounded(),
                                 upKbps: Double.random(in: 0...12_000, using: &generator).rounded())
        let lowers: [Double] = [60, 121, 600, 2000, 4000]
        let lower = lowers[Int.random(in: 0..<lowers.count, using: &generator)]
        result.udpTimeout = .init(lowerBoundS: lower, upperBoundS: lower + 60, probeMaxS: 7200)
        result.network.proxy.inMediaPath = Bool.random(using: &generator)
        result.reachability = result.reachability?.map { probe in
            var copy = probe
            copy.reachable = Int.random(in: 0..<6, using: &generator) > 0
            return copy
        }
        return result
    }

    /// Each improvement makes exactly one measurement better.
    private let improvements: [(String, (inout ProbeResult) -> Void)] = [
        ("lower RTT", { r in r.setLatency(rtt: max(0, (r.latency?[0].rttMs?.p50 ?? 0) - 37), jitter: r.latency?[0].jitterMs ?? 0, loss: r.latency?[0].lossPct ?? 0) }),
        ("lower jitter", { r in r.setLatency(rtt: r.latency?[0].rttMs?.p50 ?? 0, jitter: max(0, (r.latency?[0].jitterMs ?? 0) - 9), loss: r.latency?[0].lossPct ?? 0) }),
        ("lower loss", { r in r.setLatency(rtt: r.latency?[0].rttMs?.p50 ?? 0, jitter: r.latency?[0].jitterMs ?? 0, loss: max(0, (r.latency?[0].lossPct ?? 0) - 1.3)) }),
        ("more upstream", { r in r.bandwidth?.upKbps += 2500 }),
        ("more downstream", { r in r.bandwidth?.downKbps += 9000 }),
        ("longer UDP timeout", { r in
            if let lower = r.udpTimeout?.lowerBoundS { r.udpTimeout = .init(lowerBoundS: lower * 2, upperBoundS: lower * 2 + 60, probeMaxS: 7200) }
        }),
        ("proxy out of the media path", { r in r.network.proxy.inMediaPath = false }),
        ("one route unblocked", { r in
            if let index = r.reachability?.firstIndex(where: { !$0.reachable }) { r.reachability?[index].reachable = true }
        }),
    ]

    @Test func improvingOneMeasurementNeverLowersTheVerdictOrTheScore() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<400 {
            let base = randomResult(&generator)
            let before = policy.evaluate(base, site: Fixtures.site)
            for (name, improve) in improvements {
                var better = base
                improve(&better)
                let after = policy.evaluate(better, site: Fixtures.site)
                #expect(rank(after) >= rank(before), "\(name): \(before.verdict) → \(after.verdict)")
                if let old = before.score, let new = after.score {
                    #expect(new >= old, "\(name): score \(old) → \(new)")
                }
            }
        }
    }

    @Test func scoresTheSameResultIdentically() throws {
        var generator = SeededGenerator(seed: 11)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for _ in 0..<50 {
            let result = randomResult(&generator)
            let first = try encoder.encode(policy.evaluate(result, site: Fixtures.site))
            let second = try encoder.encode(try Policy.defaultSococo().evaluate(result, site: Fixtures.site))
            #expect(first == second)
        }
    }
}
