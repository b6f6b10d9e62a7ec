import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessScoring

@Suite struct EModelAndCapacityTests {
    /// Hand-computed:
    /// - RTT 40, jitter 5, loss 0: d = 20; Le = 20 + 10 + 10 = 40 < 160 → R = 93.2 − 1 = 92.2;
    ///   MOS = 1 + 3.227 + 7e-6 × 92.2 × 32.2 × 7.8 = 4.227 + 0.16209 = 4.38909.
    /// - RTT 300, jitter 40, loss 2: d = 150; Le = 150 + 80 + 10 = 240 ≥ 160 → R = 93.2 − 12 = 81.2;
    ///   R −= 5 → 76.2; MOS = 1 + 2.667 + 7e-6 × 76.2 × 16.2 × 23.8 = 3.667 + 0.20566 = 3.87266.
    /// - RTT 0, jitter 0, loss 0: Le = 10 → R = 92.95; MOS = 1 + 3.25325 + 7e-6 × 92.95 × 32.95 × 7.05 = 4.40440.
    /// - RTT 1000, jitter 100, loss 50: Le = 500 + 200 + 10 = 710 → R = 34.2 − 125 < 0 → 0; MOS = 1.
    /// - Le exactly 160 (RTT 280, jitter 5): second branch: R = 93.2 − 4 = 89.2 (first branch would give 89.2 too);
    ///   MOS = 1 + 3.122 + 7e-6 × 89.2 × 29.2 × 10.8 = 4.122 + 0.19691 = 4.31891.
    @Test(arguments: [
        (40.0, 5.0, 0.0, 92.2, 4.38909),
        (300.0, 40.0, 2.0, 76.2, 3.87266),
        (0.0, 0.0, 0.0, 92.95, 4.40440),
        (1000.0, 100.0, 50.0, 0.0, 1.0),
        (280.0, 5.0, 0.0, 89.2, 4.31891),
    ])
    func matchesHandComputedEModelValues(rtt: Double, jitter: Double, loss: Double, r: Double, mos: Double) {
        #expect(abs(EModel.rFactor(rttMs: rtt, jitterMs: jitter, lossPct: loss) - r) < 1e-9)
        #expect(abs(EModel.mos(rttMs: rtt, jitterMs: jitter, lossPct: loss) - mos) < 1e-4)
    }

    @Test func reportsTheMOSOfAResultFromItsMedians() throws {
        let evaluation = try Fixtures.policy().evaluate(Fixtures.optimalResult(), site: Fixtures.site)
        #expect(abs((evaluation.mos ?? 0) - 4.38909) < 1e-4)
    }

    /// Capacity = ⌊bandwidth / (profile × 1.25)⌋ per direction, the smaller of up and down.
    /// Up 38000 / (504 × 1.25 = 630) = 60.3 → 60; down 94000 / (2454 × 1.25 = 3067.5) = 30.6 → 30: optimal 30.
    /// Up 38000 / 67.5 = 562.9 → 562; down 94000 / 467.5 = 201.07 → 201: minimal 201.
    @Test(arguments: [
        (38_000.0, 94_000.0, 30, 201),
        (630.0, 3067.5, 1, 6),        // exactly one optimal user; 630/67.5 = 9.33, 3067.5/467.5 = 6.56
        (629.9, 3067.5, 0, 6),
        (0.0, 0.0, 0, 0),
    ])
    func computesCapacityPerTier(up: Double, down: Double, optimal: Int, minimal: Int) throws {
        var result = Fixtures.optimalResult()
        result.bandwidth = .init(downKbps: down, upKbps: up)
        let capacity = try Fixtures.policy().evaluate(result, site: Fixtures.site).capacity
        #expect(capacity == Capacity(optimalUsers: optimal, minimalUsers: minimal))
    }
}
