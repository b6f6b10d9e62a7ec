import Foundation
import Logging
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// The delivery worker's idle wait, on a clock the test moves: a ring of the doorbell (an
/// ingest commit that wrote changes) starts a round at once, and without one the next round
/// waits for the poll interval. No test here sleeps.
@Suite struct WebhookWorkerWakeTests {
    @Test func aRingStartsARoundWithoutWaitingForThePoll() async throws {
        let clock = ManualSleeps()
        let rounds = RoundLog()
        let doorbell = OutboxDoorbell()
        let worker = WebhookDeliveryWorker(
            round: { rounds.record() }, pollInterval: .seconds(1), doorbell: doorbell, logger: Logger(label: "wake-tests"),
            sleep: { await clock.sleep($0) })
        worker.start()
        #expect(await rounds.next() == 1)
        // Idle: the worker waits for its poll interval on the test's clock.
        #expect(await clock.nextSleep() == .seconds(1))
        doorbell.ring()
        #expect(await rounds.next() == 2, "the ring started a round; the clock never moved")
        // The poll wait the ring cut short was abandoned, and the worker waits anew.
        #expect(await clock.nextSleep() == .seconds(1))
        #expect(clock.elapsed == .zero)
        // Without a ring, the next round comes when the poll interval has passed.
        clock.advance()
        #expect(await rounds.next() == 3)
        await worker.stop()
    }

    /// Delivery is background work: its rounds run at background priority (on Linux, threads
    /// at nice 10), so request handling goes first when the cores are short.
    @Test func roundsRunAtBackgroundPriority() async throws {
        let clock = ManualSleeps()
        let priorities = RoundLog()
        let seen = NSLock()
        nonisolated(unsafe) var priority: TaskPriority?
        let worker = WebhookDeliveryWorker(
            round: {
                seen.withLock { priority = Task.currentPriority }
                return priorities.record()
            },
            pollInterval: .seconds(1), doorbell: OutboxDoorbell(), logger: Logger(label: "wake-tests"), sleep: { await clock.sleep($0) })
        worker.start()
        #expect(await priorities.next() == 1)
        #expect(seen.withLock { priority } == .background)
        await worker.stop()
    }

    @Test func aRingDuringARoundIsNotLost() async throws {
        let clock = ManualSleeps()
        let doorbell = OutboxDoorbell()
        // The first round's commit rings while the round still runs (the worker is not waiting).
        let rounds = RoundLog(during: { number in if number == 1 { doorbell.ring() } })
        let worker = WebhookDeliveryWorker(
            round: { rounds.record() }, pollInterval: .seconds(1), doorbell: doorbell, logger: Logger(label: "wake-tests"),
            sleep: { await clock.sleep($0) })
        worker.start()
        #expect(await rounds.next() == 1)
        #expect(await rounds.next() == 2, "the ring kept for the next wait ended it at once")
        #expect(clock.elapsed == .zero)
        await worker.stop()
    }

    @Test func ringsCoalesceIntoOneRound() async throws {
        let doorbell = OutboxDoorbell()
        doorbell.ring()
        doorbell.ring()
        doorbell.ring()
        // The first wait returns at once (the rings are kept), the second waits for its sleep.
        await doorbell.wait { await Self.never() }
        let clock = ManualSleeps()
        let second = Task { await doorbell.wait { await clock.sleep(.seconds(1)) } }
        #expect(await clock.nextSleep() == .seconds(1))
        clock.advance()
        await second.value
        #expect(clock.elapsed == .seconds(1), "three rings made one early return, not three")
    }

    @Test func aRoundThatFoundSomeWorkPausesToGatherAndAFullOneGoesOnAtOnce() async throws {
        let clock = ManualSleeps()
        let doorbell = OutboxDoorbell()
        // The first round claims a full batch, the second three events, later ones nothing.
        let rounds = RoundLog(claiming: { number in [1: 32, 2: 3][number] ?? 0 })
        let worker = WebhookDeliveryWorker(
            round: { rounds.record() }, pollInterval: .seconds(1), doorbell: doorbell, logger: Logger(label: "wake-tests"),
            gathering: .milliseconds(200), fullRound: 32, sleep: { await clock.sleep($0) })
        worker.start()
        #expect(await rounds.next() == 1)
        #expect(await rounds.next() == 2, "a full round goes on at once")
        #expect(await clock.nextSleep() == .milliseconds(200), "a round that was not full is followed by a pause to gather")
        #expect(clock.elapsed == .zero)
        clock.advance()
        #expect(await rounds.next() == 3)
        // The third found nothing: the idle wait for the poll; a ring ends it, and the round
        // after it waits the gathering pause too.
        #expect(await clock.nextSleep() == .seconds(1))
        doorbell.ring()
        #expect(await clock.nextSleep() == .milliseconds(200))
        #expect(clock.elapsed == .milliseconds(200), "the poll wait the ring cut short did not move the clock")
        clock.advance()
        #expect(await rounds.next() == 4)
        #expect(clock.elapsed == .milliseconds(400))
        await worker.stop()
    }

    /// A sleep that ends only when cancelled.
    static func never() async {
        try? await Task.sleep(for: .seconds(3600))
    }
}

/// Sleeps that end when the test says so: `advance()` ends every pending one and adds its
/// duration to `elapsed`; a cancelled sleep ends at once without moving the clock.
final class ManualSleeps: @unchecked Sendable {  // test-only; `lock` guards the state
    private let lock = NSLock()
    private var pending: [(id: Int, duration: Duration, continuation: CheckedContinuation<Void, Never>)] = []
    private var requested: [Duration] = []
    private var requestWaiters: [CheckedContinuation<Duration, Never>] = []
    private var nextID = 0
    private var moved: Duration = .zero

    var elapsed: Duration { lock.withLock { moved } }

    func sleep(_ duration: Duration) async {
        let id = lock.withLock { () -> Int in
            nextID += 1
            return nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let (waiter, cancelled) = lock.withLock { () -> (CheckedContinuation<Duration, Never>?, Bool) in
                    if Task.isCancelled { return (nil, true) }
                    pending.append((id, duration, continuation))
                    if requestWaiters.isEmpty {
                        requested.append(duration)
                        return (nil, false)
                    }
                    return (requestWaiters.removeFirst(), false)
                }
                if cancelled { continuation.resume() }
                waiter?.resume(returning: duration)
            }
        } onCancel: {
            let cancelled = lock.withLock { () -> CheckedContinuation<Void, Never>? in
                guard let index = pending.firstIndex(where: { $0.id == id }) else { return nil }
                return pending.remove(at: index).continuation
            }
            cancelled?.resume()
        }
    }

    /// The duration of the next sleep begun (one already begun and not yet reported first).
    func nextSleep() async -> Duration {
        await withCheckedContinuation { continuation in
            let ready = lock.withLock { () -> Duration? in
                if !requested.isEmpty { return requested.removeFirst() }
                requestWaiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Ends every pending sleep, as if its duration had passed.
    func advance() {
        let due = lock.withLock { () -> [(id: Int, duration: Duration, continuation: CheckedContinuation<Void, Never>)] in
            defer { pending.removeAll() }
            moved += pending.map(\.duration).max() ?? .zero
            return pending
        }
        for sleep in due { sleep.continuation.resume() }
    }
}

/// Rounds the worker ran, each claiming what `claiming` says (nothing by default), handed to the test in order.
final class RoundLog: @unchecked Sendable {  // test-only; `lock` guards the state
    private let lock = NSLock()
    private let during: @Sendable (Int) -> Void
    private let claiming: @Sendable (Int) -> Int
    private var count = 0
    private var unreported: [Int] = []
    private var waiters: [CheckedContinuation<Int, Never>] = []

    /// `claiming`: how many events round number n says it claimed (none unless given).
    init(claiming: @escaping @Sendable (Int) -> Int = { _ in 0 }, during: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.during = during
        self.claiming = claiming
    }

    func record() -> Int {
        let (number, waiter) = lock.withLock { () -> (Int, CheckedContinuation<Int, Never>?) in
            count += 1
            if waiters.isEmpty {
                unreported.append(count)
                return (count, nil)
            }
            return (count, waiters.removeFirst())
        }
        during(number)
        waiter?.resume(returning: number)
        return claiming(number)
    }

    func next() async -> Int {
        await withCheckedContinuation { continuation in
            let ready = lock.withLock { () -> Int? in
                if !unreported.isEmpty { return unreported.removeFirst() }
                waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// The wiring: an upload's commit rings this replica's doorbell. The worker's poll interval is
/// an hour, so only the ring can explain a delivery within the test's limit.
@Suite(.serialized) struct WebhookIngestWakeTests {
    @Test func anUploadThatChangesAVerdictIsDeliveredWithoutWaitingForThePoll() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 204)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: {
            WebhookFixtures.configure(&$0)
            $0.webhooks.pollInterval = .seconds(3600)
        }) { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            try await WebhookFixtures.webhook(live.database, url: receiver.url, secret: try WebhookFixtures.secret())
            let body = ReadFixtures.goodJSON(at: Date().addingTimeInterval(-60))
            #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: Data(body.utf8)).status == 201)
            try await WebhookFixtures.waitUntil("the verdict change arrives", limit: .seconds(20)) {
                receiver.requests.contains { (try? $0.decoded(WebhookEventBody.self))?.type == "site.verdict_changed" }
            }
        }
    }
}
