import ReadinessContractFixtures
import Foundation
@testable import ReadinessContract
@testable import ReadinessScoring

/// A change to the optimal fixture, named for test output.
struct Variation: Sendable, CustomTestStringConvertible {
    let name: String
    let apply: @Sendable (inout ProbeResult) -> Void

    init(_ name: String, _ apply: @escaping @Sendable (inout ProbeResult) -> Void) {
        self.name = name
        self.apply = apply
    }

    var testDescription: String { name }
}

import Testing

extension Policy {
    func evaluate(_ variation: Variation, site: SiteParameters = Fixtures.site) -> ResultEvaluation {
        var result = Fixtures.optimalResult()
        variation.apply(&result)
        return evaluate(result, site: site)
    }
}

extension ResultEvaluation {
    func finding(_ ruleID: String) -> Finding? { findings.first { $0.ruleID == ruleID } }

    /// `optimal/minimal` outcome pair of a rule, e.g. "fail/pass"; "-" for a tier it does not gate.
    func outcomes(_ ruleID: String) -> String {
        guard let finding = finding(ruleID) else { return "missing" }
        return [Tier.optimal, .minimal].map { finding.outcome(for: $0)?.rawValue ?? "-" }.joined(separator: "/")
    }
}

extension ProbeResult {
    mutating func setLatency(rtt: Double = 40, jitter: Double = 5, loss: Double = 0) {
        latency = [.init(host: "media.chime.aws", samples: 50, rttMs: Fixtures.rtt(rtt), jitterMs: jitter, lossPct: loss)]
    }

    mutating func setReachable(_ proto: TransportProtocol, _ host: String, _ port: Int, _ reachable: Bool) {
        reachability = (reachability ?? []).filter { !($0.protocol == proto && $0.port == port) }
            + [.init(proto, host, port, reachable: reachable)]
    }
}
