import Foundation
import ReadinessContract
import ReadinessScoring

/// The domain work `ResultIngest.upload` does per result before it queues, in its order:
/// decode and validate the body, evaluate it, write its canonical bytes and its compact
/// evaluation (SHA-256 of the canonical bytes is left out: CCrypto, fixed cost). Run alone
/// with `BENCH_MODE=handler` so `perf stat -e instructions` or callgrind count only this.
enum HandlerWork {
    static func run(_ bytes: [UInt8], policy: Policy, site: SiteParameters, now: Date) -> Int {
        guard case let .success(upload) = ProbeResultDecoder.decode(bytes, now: now) else { return 0 }
        var produced = 0
        for result in upload.results {
            let evaluation = policy.evaluate(result, site: site)
            produced &+= result.canonicalJSONBytes().count
            produced &+= (try? CompactEvaluation(evaluation).jsonBytes().count) ?? 0
        }
        return produced
    }
}
