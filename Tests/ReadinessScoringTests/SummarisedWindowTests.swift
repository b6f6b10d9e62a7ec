import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessContract
@testable import ReadinessScoring

/// A busy site's window (more than `exactLimit` runs) is kept as time buckets: every figure is
/// what the README's "Busy sites" table says it becomes (exact, or within 1 %), the verdict
/// stays, and the memory held does not grow with the runs.
@Suite struct SummarisedWindowTests {
    let policy: Policy
    init() throws { policy = try Fixtures.policy() }

    /// Runs over the last `span` seconds before `now`, with figures spread far from every
    /// threshold, from a few agents.
    private func runs(_ count: Int, seed: UInt64, span: Double, now: Date) -> [ProbeResult] {
        var inputs = GeneratedInputs(seed: seed)
        return (0..<count).map { index in
            var run = Fixtures.optimalResult(runID: UUID(), finishedAt: now.addingTimeInterval(-Double.random(in: 1...span, using: &inputs.generator)))
            run.agent.hostname = inputs.chance(10) ? nil : "pc-\(index % 7)"
            run.setLatency(rtt: Double.random(in: 20...60, using: &inputs.generator), jitter: Double.random(in: 1...8, using: &inputs.generator), loss: inputs.pick([0, 0, 0.1, 0.2, 0.25]))
            run.bandwidth = .init(downKbps: Double.random(in: 60_000...95_000, using: &inputs.generator), upKbps: Double.random(in: 25_000...40_000, using: &inputs.generator))
            if inputs.chance(5) { run.setReachable(.udp, "media.chime.aws", 3478, false) }
            // Some names fail to resolve now and then (one with text an entry must escape), so
            // the DNS rule's counts and hosts go through entries and buckets too.
            if inputs.chance(8) {
                let host = inputs.chance(2) ? "turn.example;x,y=z%" : "relay.example"
                run.reachability = (run.reachability ?? []) + [.init(.tcp, host, 443, reachable: false, error: "dns")]
            }
            return run
        }
    }

    private func within(_ approximate: Double?, _ exact: Double?, _ error: Double = LogBinSketch.relativeError) -> Bool {
        guard let approximate, let exact else { return approximate == nil && exact == nil }
        return abs(approximate - exact) <= error * abs(exact) + 1e-12
    }

    @Test func keepsEveryFigureWithinItsStatedErrorOfTheExactAssessment() throws {
        let now = Fixtures.now
        let all = runs(5000, seed: 11, span: policy.freshnessWindow * 1.5, now: now)
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        for run in all { window.insert(run, observed: policy.evaluate(run, site: Fixtures.site).observations) }
        #expect(window.isSummarised)
        let assessed = window.assess(site: Fixtures.site, now: now)
        let summarised = try #require(assessed)
        let exact = policy.assess(all, site: Fixtures.site, now: now)
        // The window's start is rounded down to its oldest bucket: at most one bucket's runs more.
        let width = policy.freshnessWindow / Double(WindowSummary.bucketsPerWindow)
        let edge = all.filter { $0.finishedAt < now.addingTimeInterval(-policy.freshnessWindow) && $0.finishedAt >= now.addingTimeInterval(-policy.freshnessWindow - width) }
        #expect(summarised.runs >= exact.runs && summarised.runs <= exact.runs + edge.count)
        #expect(summarised.agents == exact.agents)
        #expect(summarised.verdict == exact.verdict)
        // The score and MOS follow the figures: within a point, and within 0.05.
        #expect(abs((summarised.score ?? -9) - (exact.score ?? 0)) <= 1, "score \(String(describing: summarised.score)) against \(String(describing: exact.score))")
        #expect(abs((summarised.mos?.value ?? -9) - (exact.mos?.value ?? 0)) <= 0.05)
        #expect(summarised.findings.map(\.code) == exact.findings.map(\.code))
        #expect(summarised.findings.map { $0.tiers.map(\.status) } == exact.findings.map { $0.tiers.map(\.status) })
        for (name, a, b) in [("rtt", summarised.figures.rttMs, exact.figures.rttMs), ("jitter", summarised.figures.jitterMs, exact.figures.jitterMs),
                             ("up", summarised.figures.upKbps, exact.figures.upKbps), ("down", summarised.figures.downKbps, exact.figures.downKbps)] {
            #expect(within(a?.value, b?.value), "\(name): \(String(describing: a?.value)) against \(String(describing: b?.value))")
            #expect(a?.newestAgeS == b?.newestAgeS, "\(name): newest age is exact")
            #expect((a?.oldestAgeS ?? 0) - (b?.oldestAgeS ?? 0) <= width, "\(name): oldest age within one bucket")
        }
        // Repeated values (loss here) are answered exactly: a bin holding one value answers it.
        #expect(summarised.figures.lossPct?.value == exact.figures.lossPct?.value)
        #expect(window.count == summarised.runs)
    }

    @Test func countsAreExactWhenTheWindowHoldsExactlyTheRunsOfWholeBuckets() throws {
        // Every run inside the window (none near its start): counts, samples and agents are exact.
        let now = Fixtures.now
        let all = runs(3000, seed: 3, span: policy.freshnessWindow * 0.9, now: now)
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        for run in all { window.insert(run) }
        let assessed = window.assess(site: Fixtures.site, now: now)
        let summarised = try #require(assessed)
        let exact = policy.assess(all, site: Fixtures.site, now: now)
        #expect(summarised.runs == exact.runs && summarised.agents == exact.agents)
        #expect(summarised.figures.rttMs?.samples == exact.figures.rttMs?.samples)
        #expect(summarised.newestResultAt == exact.newestResultAt && summarised.oldestResultAt == exact.oldestResultAt)
        let route = try #require(exact.findings.first { $0.kind == .route })
        #expect(summarised.findings.first { $0.ruleID == route.ruleID }?.observed == route.observed)
        // The DNS rule's runs and hosts are sums: exact, like the routes'.
        let dns = try #require(exact.findings.first { $0.kind == .dns })
        #expect(dns.status == .warn && dns.hosts == ["relay.example", "turn.example;x,y=z%"])
        #expect(summarised.findings.first { $0.kind == .dns } == dns)
    }

    @Test func staysExactUpToTheLimit() throws {
        let now = Fixtures.now
        let all = runs(SiteWindow.defaultExactLimit, seed: 5, span: policy.freshnessWindow * 0.9, now: now)
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        for run in all { window.insert(run) }
        #expect(!window.isSummarised)
        let assessed = window.assess(site: Fixtures.site, now: now)
        let assessment = try #require(assessed)
        #expect(assessment == policy.assess(all, site: Fixtures.site, now: now))
    }

    /// However many runs, the window holds at most a window's buckets plus one, and each
    /// sketch at most the bins its values' range spans (ln(max/min)/ln γ + 2), not one per run.
    @Test func holdsBoundedMemoryWhateverTheRunCount() throws {
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        var now = Fixtures.now
        var inputs = GeneratedInputs(seed: 9)
        let count = 100_000
        let step = policy.freshnessWindow * 2 / Double(count)
        for index in 0..<count {
            now = now.addingTimeInterval(step)
            var run = Fixtures.optimalResult(runID: UUID(), finishedAt: now)
            run.agent.hostname = "pc-\(index % 5)"
            run.setLatency(rtt: Double.random(in: 20...60, using: &inputs.generator),
                           jitter: Double.random(in: 1...8, using: &inputs.generator),
                           loss: Double.random(in: 0.01...1, using: &inputs.generator))
            window.insert(run)
            if index % 500 == 0 { _ = window.assess(site: Fixtures.site, now: now) }
        }
        let last = window.assess(site: Fixtures.site, now: now)
        #expect(last != nil)
        let summary = try #require(window.summary)
        #expect(summary.buckets.count <= WindowSummary.bucketsPerWindow + 1)
        for bucket in summary.buckets {
            #expect(bucket.hosts.count <= 5)
            for rule in bucket.rules {
                for sketch in [rule.values, rule.downs] where !sketch.isEmpty {
                    let least = try #require(sketch.bins.first?.least), greatest = try #require(sketch.bins.last?.greatest)
                    let bound = Int((log(greatest / least) / log(LogBinSketch.gamma)).rounded(.up)) + 2
                    #expect(sketch.bins.count <= bound)
                }
            }
        }
        // Half of 100,000 runs in the window, some 5,000 bins in all.
        #expect(window.count > 40_000)
        let bins = summary.buckets.reduce(0) { $0 + $1.rules.reduce(0) { $0 + $1.values.bins.count + $1.downs.bins.count } }
        #expect(bins < 40_000, "bins: \(bins)")
    }

    @Test func answersPercentilesWithinOnePercent() {
        var sketch = LogBinSketch()
        var values: [Double] = []
        var inputs = GeneratedInputs(seed: 21)
        for _ in 0..<20_000 {
            let value = inputs.chance(5) ? 0 : Double.random(in: 0.001...1_000_000, using: &inputs.generator)
            values.append(value)
            sketch.add(value)
        }
        for p in [1.0, 10, 50, 90, 99] {
            #expect(within(sketch.percentile(p), Statistics.percentile(values, p)), "p\(p)")
        }
        #expect(within(sketch.median, Statistics.median(values)))
        // Taking half out again leaves the other half's answers.
        var half = LogBinSketch(), rest = LogBinSketch()
        for value in values[..<10_000] { half.add(value) }
        for value in values[10_000...] { rest.add(value) }
        sketch.subtract(half, rest: [rest])
        #expect(sketch == rest)
    }

    @Test func rebuildsTheSameWindowFromEntriesAsFromBodies() throws {
        let now = Fixtures.now
        let all = runs(200, seed: 8, span: policy.freshnessWindow * 0.9, now: now)
        var fromBodies = SiteWindow(policy: policy, completeFrom: .distantPast)
        var fromEntries = SiteWindow(policy: policy, completeFrom: .distantPast)
        for run in all {
            fromBodies.insert(run)
            let entry = try #require(WindowEntry.text(of: policy.evaluate(run, site: Fixtures.site).observations,
                                                      hostname: run.agent.hostname, policy: policy))
            let added = fromEntries.insert(entry: entry, runID: run.runID, finishedAt: run.finishedAt)
            #expect(added)
        }
        let a = fromBodies.assess(site: Fixtures.site, now: now), b = fromEntries.assess(site: Fixtures.site, now: now)
        #expect(a != nil && a == b)
        let refused = fromEntries.insert(entry: "m1;x", runID: UUID(), finishedAt: now)
        #expect(!refused)
    }

    @Test func restoresASummarisedWindowFromItsBuckets() throws {
        let now = Fixtures.now
        let all = runs(3000, seed: 4, span: policy.freshnessWindow * 0.9, now: now)
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        for run in all { window.insert(run) }
        let buckets = window.takeTouchedBuckets()
        #expect(buckets.count == window.summary?.buckets.count)
        // Written as the service stores them (JSONWriter), read back with their Codable
        // conformance as a restart reads them; and the same as what JSONEncoder writes.
        for bucket in buckets {
            let written = try bucket.jsonBytes()
            #expect(try JSONDecoder().decode(WindowBucket.self, from: Data(written)) == bucket)
            let viaEncoder = try JSONSerialization.jsonObject(with: JSONEncoder().encode(bucket)) as? NSDictionary
            #expect(try JSONSerialization.jsonObject(with: Data(written)) as? NSDictionary == viaEncoder)
        }
        let encoded = try JSONEncoder().encode(buckets)
        var restored = SiteWindow(policy: policy, completeFrom: .distantPast,
                                  buckets: try JSONDecoder().decode([WindowBucket].self, from: encoded))
        let a = window.assess(site: Fixtures.site, now: now), b = restored.assess(site: Fixtures.site, now: now)
        #expect(a != nil && a == b)
    }
}
