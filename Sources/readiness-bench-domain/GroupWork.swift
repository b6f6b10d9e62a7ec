import Foundation
import ReadinessApp

/// What a commit lane does per group to bind its write statement's parameters: the results'
/// columns (`SetBasedRows`), the sites' assessment and change columns, and the query with
/// every array bound, for a group of `resultsPerGroup` results, each from its own site.
/// Everything before (evaluation, canonical JSON, site windows) is built outside `buildAll`,
/// so under `callgrind --toggle-collect='*GroupWork*buildAll*'` only the binding counts;
/// instructions and allocations per group are best taken as the difference of two runs.
///
/// Usage: `readiness-bench-domain group` (BENCH_GROUPS=n, default 2000; BENCH_GROUP_RESULTS=n, default 32).
struct GroupWork {
    let ingest: IngestWork
    let resultsPerGroup: Int

    func run(groups: Int) throws {
        let results = (0..<resultsPerGroup).map { ingest.run(ingest.windowRuns + $0) }
        let sample = try GroupWriteSample(results: results, policy: ingest.policy, site: ingest.site, receivedAt: ingest.now)
        guard sample.buildStatement() > 0 else { throw GroupRefused() }
        let clock = ContinuousClock()
        var bound = 0
        let elapsed = clock.measure { bound = buildAll(sample, groups: groups) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "group write parameters, %d results each: %.2f µs per group (%d groups, %d bound)",
                     resultsPerGroup, seconds * 1e6 / Double(max(groups, 1)), groups, bound))
    }

    @inline(never)
    func buildAll(_ sample: GroupWriteSample, groups: Int) -> Int {
        var bound = 0
        for _ in 0..<groups { bound &+= sample.buildStatement() }
        return bound
    }

    struct GroupRefused: Error {}
}
