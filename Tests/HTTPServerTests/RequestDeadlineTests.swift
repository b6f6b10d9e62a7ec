import Foundation
import Synchronization
import Testing
@testable import HTTPServer

/// Every async and deferred request runs under the responder's deadline: when it passes, the
/// client gets the deadline's error at once, the handler's task is cancelled, and an answer the
/// handler gives later is dropped. The clock is the test's: deadlines pass when it says so.
@Suite struct RequestDeadlineTests {
    /// Deadlines that pass only when the test calls ``fire()``.
    final class ManualClock: DeadlineClock, @unchecked Sendable {  // `pending` behind `lock`
        private let lock = NSLock()
        private var pending: [@Sendable () -> Void] = []
        private var asked: [Duration] = []

        func schedule(after delay: Duration, _ fire: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
            lock.withLock {
                pending.append(fire)
                asked.append(delay)
            }
            return {}
        }

        /// The delay of every deadline scheduled so far.
        var delays: [Duration] { lock.withLock { asked } }

        var scheduled: Int { lock.withLock { pending.count } }

        func fire() {
            for action in lock.withLock({ defer { pending.removeAll() }; return pending }) { action() }
        }
    }

    static let deadlineError = HTTPError(
        status: .serviceUnavailable, detail: "too slow", type: "/problems/deadline-exceeded", title: "Deadline exceeded",
        headers: ["Retry-After": "2"])

    static func responder(_ router: Router, clock: ManualClock) -> Responder {
        var responder = router.buildResponder(middleware: [])
        responder.deadlines = RequestDeadlines(timeout: .seconds(10), clock: clock, error: deadlineError)
        return responder
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// A route given a deadline of its own runs under it; the others under the responder's.
    @Test func aRouteWithItsOwnDeadlineRunsUnderIt() async throws {
        let clock = ManualClock()
        var router = Router()
        router.post("/long") { _, _ async throws -> HTTPResponse in .text("done") }
        router.get("/short") { _, _ async throws -> HTTPResponse in .text("done") }
        router.on(.post, "/long-deferred", deferred: { _, _, sink in sink.respond(.text("done")) })
        router.setDeadline(.seconds(120), for: .post, "/long")
        router.setDeadline(.seconds(90), for: .post, "/long-deferred")
        let responder = Self.responder(router, clock: clock)
        #expect(await responder.respond(to: HTTPRequest(method: .post, target: "/long")).status == .ok)
        #expect(await responder.respond(to: HTTPRequest(method: .get, target: "/short")).status == .ok)
        #expect(await responder.respond(to: HTTPRequest(method: .post, target: "/long-deferred")).status == .ok)
        #expect(clock.delays == [.seconds(120), .seconds(10), .seconds(90)])
    }

    @Test func anAsyncHandlerPastItsDeadlineAnswers503AndIsCancelled() async throws {
        let cancelled = Atomic(false)
        let clock = ManualClock()
        var router = Router()
        router.get("/slow") { _, _ async throws -> HTTPResponse in
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                cancelled.store(true, ordering: .relaxed)
                throw error
            }
            return .text("too late")
        }
        let responder = Self.responder(router, clock: clock)
        let answer = Task { await responder.respond(to: HTTPRequest(method: .get, target: "/slow")) }
        try await Self.waitUntil { clock.scheduled == 1 }
        clock.fire()
        let response = await answer.value
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers["retry-after"] == "2")
        #expect(response.headers["content-type"] == "application/problem+json")
        #expect(String(decoding: response.body, as: UTF8.self).contains("/problems/deadline-exceeded"))
        try await Self.waitUntil { cancelled.load(ordering: .relaxed) }
        let wasCancelled = cancelled.load(ordering: .relaxed)
        #expect(wasCancelled, "the handler's task was not cancelled")
    }

    @Test func aDeferredHandlerThatHasNotAnsweredGets503AndItsLaterAnswerIsDropped() async throws {
        let clock = ManualClock()
        let sinks = Mutex<[ResponseSink]>([])
        let deadlines = Mutex<[RequestDeadline]>([])
        var router = Router()
        router.on(.post, "/queued", deferred: { _, context, sink in
            sinks.withLock { $0.append(sink) }
            if let deadline = context.deadline { deadlines.withLock { $0.append(deadline) } }
        })
        let responder = Self.responder(router, clock: clock)
        let answer = Task { await responder.respond(to: HTTPRequest(method: .post, target: "/queued")) }
        try await Self.waitUntil { sinks.withLock { !$0.isEmpty } }
        #expect(deadlines.withLock { $0.first?.hasExpired } == false)
        clock.fire()
        let response = await answer.value
        #expect(response.status == .serviceUnavailable)
        #expect(deadlines.withLock { $0.first?.hasExpired } == true, "the handler sees that nobody waits any more")
        sinks.withLock { $0.first?.respond(.text("late")) }  // ignored, and no crash
    }

    @Test func anAnsweredRequestsDeadlineNeverFires() async throws {
        let clock = ManualClock()
        var router = Router()
        let seen = Mutex<RequestDeadline?>(nil)
        router.get("/quick") { _, context async throws -> HTTPResponse in
            seen.withLock { $0 = context.deadline }
            return .text("ok")
        }
        let responder = Self.responder(router, clock: clock)
        let response = await responder.respond(to: HTTPRequest(method: .get, target: "/quick"))
        #expect(response.status == .ok)
        clock.fire()
        #expect(seen.withLock { $0?.hasExpired } == false)
    }
}
