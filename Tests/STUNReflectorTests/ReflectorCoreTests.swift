import STUN
import Sockets
import SystemClock
import Testing
@testable import STUNReflector

/// The reflector's decisions on a fake clock: no sockets, no threads.
@Suite struct ReflectorCoreTests {
    static let source = SocketAddress(ip: "198.51.100.7", port: 40000)!
    static let start = MonotonicTime(nanoseconds: 1_000_000_000_000)

    static func request(padding: Int? = nil, answerAfter: UInt32? = nil, id: STUNTransactionID = .random(),
                        kind: STUNMessage.Kind = .bindingRequest, fingerprint: Bool = false) -> [UInt8] {
        var attributes: [STUNAttribute] = []
        if let answerAfter { attributes.append(.answerAfter(milliseconds: answerAfter)) }
        if let padding { attributes.append(.padding(padding)) }
        if fingerprint { attributes.append(.fingerprint) }
        return STUNMessage(kind: kind, transactionID: id, attributes: attributes).encoded()
    }

    static func at(_ milliseconds: Int) -> MonotonicTime { start + .milliseconds(milliseconds) }

    @Test func answersAPaddedRequestWithTheSourceAddressAndTransactionID() throws {
        var core = ReflectorCore(limits: ReflectorLimits())
        let id = STUNTransactionID.random()
        let request = Self.request(padding: 8, id: id)
        let answerResult = core.receive(request, from: Self.source, socket: 3, now: Self.start)
        let answer = try #require(answerResult)
        #expect(answer.socket == 3)
        #expect(answer.destination == Self.source)
        #expect(answer.bytes.count <= request.count)
        let response = try STUNMessage(decoding: answer.bytes)
        #expect(response.kind == .bindingSuccess)
        #expect(response.transactionID == id)
        #expect(response.mappedAddress?.ipString == "198.51.100.7")
        #expect(response.mappedAddress?.port == 40000)
        #expect(response.answerAfterMilliseconds == nil)
        #expect(!response.hasFingerprint)
    }

    @Test func fingerprintIsMirroredWithinTheBudget() throws {
        var core = ReflectorCore(limits: ReflectorLimits())
        let answerResult = core.receive(Self.request(padding: 8, fingerprint: true), from: Self.source, socket: 0, now: Self.start)
        let answer = try #require(answerResult)
        #expect(try STUNMessage(decoding: answer.bytes).hasFingerprint)
    }

    @Test(arguments: [(nil as Int?, false), (4, false), (5, true), (8, true), (100, true)])
    func answersOnlyWhenTheResponseIsNoLargerThanTheRequest(padding: Int?, answered: Bool) {
        // The IPv4 response is 32 bytes; a request is 20 + 4 + padding rounded up to 4 (5 → 32).
        var core = ReflectorCore(limits: ReflectorLimits())
        let answer = core.receive(Self.request(padding: padding), from: Self.source, socket: 0, now: Self.start)
        #expect((answer != nil) == answered)
        #expect(core.counters.droppedAmplification == (answered ? 0 : 1))
    }

    @Test func ipv6ResponsesNeedMorePadding() {
        var core = ReflectorCore(limits: ReflectorLimits())
        let v6 = SocketAddress(ip: "2001:db8::7", port: 1)!
        // IPv6 response: 20 + 4 + 20 = 44 bytes.
        #expect(core.receive(Self.request(padding: 8), from: v6, socket: 0, now: Self.start) == nil)
        #expect(core.receive(Self.request(padding: 20), from: v6, socket: 0, now: Self.start) != nil)
    }

    @Test func delayedAnswersFollowTheAcknowledgementAfterTheDelay() throws {
        var core = ReflectorCore(limits: ReflectorLimits())
        let id = STUNTransactionID.random()
        let request = Self.request(padding: 80, answerAfter: 300, id: id)
        let ackResult = core.receive(request, from: Self.source, socket: 1, now: Self.start)
        let ack = try #require(ackResult)
        #expect(try STUNMessage(decoding: ack.bytes).answerAfterMilliseconds == nil)
        #expect(core.nextDue == Self.at(300))
        #expect(core.takeDue(now: Self.at(299)).isEmpty)

        let first = core.takeDue(now: Self.at(300))
        #expect(first.count == 1)
        #expect(core.takeDue(now: Self.at(399)).isEmpty)
        let second = core.takeDue(now: Self.at(400))
        #expect(second.count == 1)
        for answer in first + second {
            let message = try STUNMessage(decoding: answer.bytes)
            #expect(message.transactionID == id)
            #expect(message.answerAfterMilliseconds == 300)
            #expect(message.mappedAddress?.ipString == "198.51.100.7")
            #expect(answer.socket == 1)
        }
        #expect(ack.bytes.count + first[0].bytes.count + second[0].bytes.count <= request.count)
        #expect(core.nextDue == nil)
        #expect(core.pendingCount == 0)
    }

    @Test func aLateTimerSendsBothCopiesAtOnce() {
        var core = ReflectorCore(limits: ReflectorLimits())
        _ = core.receive(Self.request(padding: 80, answerAfter: 10), from: Self.source, socket: 0, now: Self.start)
        #expect(core.takeDue(now: Self.at(5_000)).count == 2)
    }

    @Test(arguments: [72, 76])
    func schedulesNothingWhenTheAnswersWouldOutweighTheRequest(padding: Int) {
        // 20 + 8 + 4 + padding bytes against 32 + 2 × 40 = 112 bytes of answers.
        var core = ReflectorCore(limits: ReflectorLimits())
        #expect(core.receive(Self.request(padding: padding, answerAfter: 300), from: Self.source, socket: 0, now: Self.start) == nil)
        #expect(core.nextDue == nil)
        #expect(core.counters.droppedAmplification == 1)
    }

    @Test func aRetransmissionIsAcknowledgedButNotScheduledTwice() {
        var core = ReflectorCore(limits: ReflectorLimits())
        let request = Self.request(padding: 80, answerAfter: 300)
        #expect(core.receive(request, from: Self.source, socket: 0, now: Self.start) != nil)
        #expect(core.receive(request, from: Self.source, socket: 0, now: Self.at(50)) != nil)
        #expect(core.pendingCount == 1)
        #expect(core.takeDue(now: Self.at(1_000)).count == 2)
        // Once answered, the same ID schedules again (a new probe that reused it).
        #expect(core.receive(request, from: Self.source, socket: 0, now: Self.at(1_100)) != nil)
        #expect(core.pendingCount == 1)
    }

    @Test func theSameIDFromAnotherPortIsAnotherRequest() {
        var core = ReflectorCore(limits: ReflectorLimits())
        let id = STUNTransactionID.random()
        let request = Self.request(padding: 80, answerAfter: 300, id: id)
        _ = core.receive(request, from: Self.source, socket: 0, now: Self.start)
        _ = core.receive(request, from: SocketAddress(ip: "198.51.100.7", port: 40001)!, socket: 0, now: Self.start)
        #expect(core.pendingCount == 2)
    }

    @Test(arguments: [0 as UInt32, 3_600_001, UInt32.max])
    func dropsAnswerAfterOutsideTheAllowedRange(milliseconds: UInt32) {
        var core = ReflectorCore(limits: ReflectorLimits())
        #expect(core.receive(Self.request(padding: 80, answerAfter: milliseconds), from: Self.source, socket: 0, now: Self.start) == nil)
        #expect(core.counters.droppedMalformed == 1)
    }

    @Test func honoursTheConfiguredMaximumDelay() {
        var limits = ReflectorLimits()
        limits.maxAnswerAfterMilliseconds = 1_000
        var core = ReflectorCore(limits: limits)
        #expect(core.receive(Self.request(padding: 80, answerAfter: 1_000), from: Self.source, socket: 0, now: Self.start) != nil)
        #expect(core.receive(Self.request(padding: 80, answerAfter: 1_001), from: Self.source, socket: 0, now: Self.start) == nil)
    }

    @Test func boundsPendingAnswersPerSourceAndInTotal() {
        var limits = ReflectorLimits()
        limits.maxPendingPerSource = 2
        limits.maxPendingTotal = 3
        var core = ReflectorCore(limits: limits)
        let other = SocketAddress(ip: "203.0.113.9", port: 1)!
        let third = SocketAddress(ip: "192.0.2.50", port: 1)!
        for _ in 0..<3 { _ = core.receive(Self.request(padding: 80, answerAfter: 300), from: Self.source, socket: 0, now: Self.start) }
        #expect(core.pendingCount == 2)
        #expect(core.counters.droppedPendingLimit == 1)
        #expect(core.receive(Self.request(padding: 80, answerAfter: 300), from: other, socket: 0, now: Self.start) != nil)
        #expect(core.receive(Self.request(padding: 80, answerAfter: 300), from: third, socket: 0, now: Self.start) == nil)
        #expect(core.counters.droppedPendingLimit == 2)
        // Plain Binding requests are not delayed answers and still go through.
        #expect(core.receive(Self.request(padding: 8), from: third, socket: 0, now: Self.start) != nil)
        // Once answered, the slots free up.
        _ = core.takeDue(now: Self.at(1_000))
        #expect(core.receive(Self.request(padding: 80, answerAfter: 300), from: third, socket: 0, now: Self.at(1_000)) != nil)
    }

    @Test func rateLimitsEachSourceWithATokenBucket() {
        var limits = ReflectorLimits()
        limits.packetsPerSecond = 10
        limits.burst = 5
        var core = ReflectorCore(limits: limits)
        let answered = (0..<20).filter { _ in core.receive(Self.request(padding: 8), from: Self.source, socket: 0, now: Self.start) != nil }
        #expect(answered.count == 5)
        #expect(core.counters.droppedRateLimited == 15)
        // Another source has its own bucket.
        #expect(core.receive(Self.request(padding: 8), from: SocketAddress(ip: "203.0.113.9", port: 1)!, socket: 0, now: Self.start) != nil)
        // 100 ms at 10/s refills one token.
        #expect(core.receive(Self.request(padding: 8), from: Self.source, socket: 0, now: Self.at(100)) != nil)
        #expect(core.receive(Self.request(padding: 8), from: Self.source, socket: 0, now: Self.at(100)) == nil)
    }

    @Test func theDefaultLimitAdmitsALatencySeriesOf1000Samples5msApart() {
        var core = ReflectorCore(limits: ReflectorLimits())
        let answered = (0..<1000).filter { core.receive(Self.request(padding: 8), from: Self.source, socket: 0, now: Self.at($0 * 5)) != nil }
        #expect(answered.count == 1000)
    }

    @Test func malformedPacketsCostATokenToo() {
        var limits = ReflectorLimits()
        limits.burst = 3
        limits.packetsPerSecond = 1
        var core = ReflectorCore(limits: limits)
        for _ in 0..<3 { #expect(core.receive([0xFF, 1, 2], from: Self.source, socket: 0, now: Self.start) == nil) }
        #expect(core.counters.droppedMalformed == 3)
        #expect(core.receive(Self.request(padding: 8), from: Self.source, socket: 0, now: Self.start) == nil)
        #expect(core.counters.droppedRateLimited == 1)
    }

    @Test func dropsResponsesAndOtherNonRequests() {
        var core = ReflectorCore(limits: ReflectorLimits())
        #expect(core.receive(Self.request(padding: 8, kind: .bindingSuccess), from: Self.source, socket: 0, now: Self.start) == nil)
        #expect(core.receive(Self.request(padding: 8, kind: .bindingError), from: Self.source, socket: 0, now: Self.start) == nil)
        #expect(core.counters.droppedNotRequest == 2)
    }

    @Test func ipv6SourcesShareABucketPerSlash64() {
        var limits = ReflectorLimits()
        limits.burst = 2
        limits.packetsPerSecond = 1
        var core = ReflectorCore(limits: limits)
        let addresses = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3", "2001:db8:1:3::1"]
        let answered = addresses.map { core.receive(Self.request(padding: 20), from: SocketAddress(ip: $0, port: 5)!, socket: 0, now: Self.start) != nil }
        #expect(answered == [true, true, false, true])
    }

    @Test func theSourceTableIsBoundedAndForgetsIdleSourcesFirst() {
        var limits = ReflectorLimits()
        limits.maxSources = 2
        limits.packetsPerSecond = 10
        limits.burst = 10
        var core = ReflectorCore(limits: limits)
        let a = SocketAddress(ip: "192.0.2.1", port: 1)!
        let b = SocketAddress(ip: "192.0.2.2", port: 1)!
        let c = SocketAddress(ip: "192.0.2.3", port: 1)!
        #expect(core.receive(Self.request(padding: 80, answerAfter: 60_000), from: a, socket: 0, now: Self.start) != nil)
        #expect(core.receive(Self.request(padding: 8), from: b, socket: 0, now: Self.start) != nil)
        // Both still hold tokens they spent: no room for c.
        #expect(core.receive(Self.request(padding: 8), from: c, socket: 0, now: Self.start) == nil)
        #expect(core.counters.droppedSourceTableFull == 1)
        // After a second both buckets are full again; b is forgotten, a keeps its pending answer.
        #expect(core.receive(Self.request(padding: 8), from: c, socket: 0, now: Self.at(1_000)) != nil)
        #expect(core.trackedSources == 2)
        #expect(core.pendingCount == 1)
    }
}
