import Testing
@testable import ReadinessAgent

@Suite struct UDPIdleTimeoutBracketTests {
    typealias Outcome = UDPIdleTimeoutProbe.GapOutcome

    @Test func lowerIsLargestSurvivorUpperIsSmallestExpiryAboveIt() {
        let result = UDPIdleTimeoutProbe.bracket([30: .survived, 60: .survived, 121: .expired, 300: .expired], maxS: 1800)
        #expect(result == .init(lowerBoundS: 60, upperBoundS: 121, probeMaxS: 1800))
    }

    @Test func anExpiredGapBelowASurvivorIsLossNotExpiry() {
        let result = UDPIdleTimeoutProbe.bracket([30: .expired, 60: .survived, 121: .noAck, 300: .survived], maxS: 300)
        #expect(result == .init(lowerBoundS: 300, upperBoundS: nil, probeMaxS: 300))
    }

    @Test func everythingExpiredGivesZeroLowerBound() {
        #expect(UDPIdleTimeoutProbe.bracket([30: .expired, 60: .expired], maxS: 60) == .init(lowerBoundS: 0, upperBoundS: 30, probeMaxS: 60))
    }

    @Test func noAckAtAllLeavesTheSectionOut() {
        #expect(UDPIdleTimeoutProbe.bracket([30: .noAck, 60: .noAck], maxS: 60) == nil)
        #expect(UDPIdleTimeoutProbe.bracket([:], maxS: 60) == nil)
    }
}
