import ReadinessContract
import Testing
@testable import ReadinessAgent

@Suite struct LatencyStatisticsTests {
    @Test func nearestRankPercentilesAreMeasuredValues() {
        let sorted = (1...20).map(Double.init)
        #expect(LatencyStatistics.percentile(sorted, 50) == 10)
        #expect(LatencyStatistics.percentile(sorted, 95) == 19)
        #expect(LatencyStatistics.percentile(sorted, 100) == 20)
        #expect(LatencyStatistics.percentile([7], 95) == 7)
        #expect(LatencyStatistics.percentile([], 50) == nil)
    }

    /// RFC 3550 §6.4.1 by hand: transits 10, 12, 11, 15 → |D| = 2, 1, 4;
    /// J1 = 2/16 = 0.125; J2 = 0.125 + (1 − 0.125)/16 = 0.1796875;
    /// J3 = 0.1796875 + (4 − 0.1796875)/16 = 0.418457…
    @Test func jitterFollowsRFC3550Recurrence() throws {
        let jitter = try #require(LatencyStatistics.jitter([10, 12, 11, 15]))
        #expect(abs(jitter - 0.41845703125) < 1e-12)
    }

    @Test func jitterSkipsLostSamplesAndNeedsTwoAnswers() throws {
        // Successive *received* samples: 10 → 14 (the lost one in between is skipped).
        let jitter = try #require(LatencyStatistics.jitter([10, nil, 14]))
        #expect(jitter == 0.25)
        #expect(LatencyStatistics.jitter([10, nil, nil]) == nil)
    }

    @Test func summaryReportsLossAsPercentageAndOmitsRTTWithoutAnswers() throws {
        let entry = LatencyStatistics.summarize(host: "h", transport: .udp, rtts: [20, nil, 30, 10])
        #expect(entry.samples == 4)
        #expect(entry.lossPct == 25)
        let rtt = try #require(entry.rttMs)
        #expect(rtt == ProbeResult.RTTSummary(min: 10, p50: 20, p95: 30, max: 30))
        let silent = LatencyStatistics.summarize(host: "h", transport: .udp, rtts: [nil, nil])
        #expect(silent.rttMs == nil)
        #expect(silent.jitterMs == nil)
        #expect(silent.lossPct == 100)
    }
}
