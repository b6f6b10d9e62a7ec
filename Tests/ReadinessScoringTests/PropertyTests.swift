import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessContract
@testable import ReadinessScoring

/// Properties of scoring over generated results: improving a measurement, dropping a failed
/// probe or loosening the policy never lowers the verdict or the score; making a figure worse
/// never raises them.
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

    /// The default policy with one requirement made stricter: a metric's limit tightened, a
    /// bandwidth profile raised, or a warning made a failure. Each is named for the messages.
    private func stricterPolicies() throws -> [(String, Policy)] {
        var variants: [(String, Policy)] = []
        for (ruleIndex, rule) in policy.document.rules.enumerated() {
            for (tierIndex, tier) in rule.tiers.enumerated() {
                var edits: [(String, (inout TierRequirement) -> Void)] = []
                if let limit = tier.limit {
                    // lt/le pass below the limit, gt/ge above it: stricter is lower or higher.
                    let stricter = ["lt", "le"].contains(limit.comparison) ? limit.value * 0.6 : limit.value * 3
                    edits.append(("limit \(limit.value) → \(stricter)", { $0.limit?.value = stricter }))
                }
                if let profile = tier.profile {
                    edits.append(("profile × 1.5", {
                        $0.profile = .init(upKbps: profile.upKbps * 1.5, downKbps: profile.downKbps * 1.5)
                    }))
                }
                if tier.onBreach == "warn" {
                    edits.append(("warn → fail", { $0.onBreach = "fail" }))
                }
                for (change, edit) in edits {
                    var document = policy.document
                    edit(&document.rules[ruleIndex].tiers[tierIndex])
                    variants.append(("\(rule.id) \(tier.tier) \(change)", try Policy(document: document)))
                }
            }
        }
        return variants
    }

    @Test func aStricterRequirementNeverImprovesTheVerdictOrTheScore() throws {
        let variants = try stricterPolicies()
        // Every kind of requirement the default policy has: limits, profiles, warnings.
        #expect(variants.count >= 10)
        var generator = SeededGenerator(seed: 13)
        var lowered = 0
        for _ in 0..<200 {
            let result = randomResult(&generator)
            let before = policy.evaluate(result, site: Fixtures.site)
            for (name, stricter) in variants {
                let after = stricter.evaluate(result, site: Fixtures.site)
                #expect(rank(after) <= rank(before), "\(name): \(before.verdict) → \(after.verdict)")
                if let old = before.score, let new = after.score {
                    #expect(new <= old, "\(name): score \(old) → \(new)")
                }
                if rank(after) < rank(before) { lowered += 1 }
            }
        }
        // The variants are strict enough to matter: some results lose their verdict to them.
        #expect(lowered > 0)
    }

    @Test func droppingAProbeThatFailedNeverWorsensTheVerdictOrTheScore() {
        var generator = SeededGenerator(seed: 17)
        var dropped = 0
        for _ in 0..<400 {
            let base = randomResult(&generator)
            let before = policy.evaluate(base, site: Fixtures.site)
            for index in base.reachability?.indices ?? 0..<0 where base.reachability?[index].reachable == false {
                var fewer = base
                let probe = fewer.reachability?.remove(at: index)
                let after = policy.evaluate(fewer, site: Fixtures.site)
                let name = "without \(probe.map { "\($0.protocol) \($0.host):\($0.port)" } ?? "?")"
                #expect(rank(after) >= rank(before), "\(name): \(before.verdict) → \(after.verdict)")
                if let old = before.score, let new = after.score {
                    #expect(new >= old, "\(name): score \(old) → \(new)")
                }
                dropped += 1
            }
        }
        #expect(dropped > 100)
    }

    /// Walking one figure up from 0: the verdict and the score only ever fall.
    private func expectNonIncreasing(_ name: String, over values: [Double], seed: UInt64,
                                     set: (inout ProbeResult, Double) -> Void) {
        var generator = SeededGenerator(seed: seed)
        var fell = 0
        for _ in 0..<100 {
            var result = randomResult(&generator)
            var previous: ResultEvaluation?
            for value in values {
                set(&result, value)
                let evaluation = policy.evaluate(result, site: Fixtures.site)
                if let previous {
                    #expect(rank(evaluation) <= rank(previous), "\(name) \(value): \(previous.verdict) → \(evaluation.verdict)")
                    if let old = previous.score, let new = evaluation.score {
                        #expect(new <= old, "\(name) \(value): score \(old) → \(new)")
                        if new < old { fell += 1 }
                    }
                }
                previous = evaluation
            }
        }
        // The walk crosses the thresholds, so the score does move.
        #expect(fell > 0, "\(name): the score never changed")
    }

    @Test func theScoreFallsAsRoundTripTimeRises() {
        expectNonIncreasing("RTT", over: stride(from: 0.0, through: 700, by: 20).map { $0 }, seed: 19) { result, rtt in
            result.setLatency(rtt: rtt, jitter: result.latency?[0].jitterMs ?? 0, loss: result.latency?[0].lossPct ?? 0)
        }
    }

    @Test func theScoreFallsAsLossRises() {
        expectNonIncreasing("loss", over: stride(from: 0.0, through: 10, by: 0.25).map { $0 }, seed: 23) { result, loss in
            result.setLatency(rtt: result.latency?[0].rttMs?.p50 ?? 0, jitter: result.latency?[0].jitterMs ?? 0, loss: loss)
        }
    }

    @Test func scoresTheSameResultIdentically() throws {
        var generator = SeededGenerator(seed: 11)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for _ in 0..<50 {
            let result = randomResult(&generator)
            let first = try encoder.encode(policy.evaluate(result, site: Fixtures.site))
            let second = try encoder.encode(try Fixtures.policy().evaluate(result, site: Fixtures.site))
            #expect(first == second)
        }
    }
}
