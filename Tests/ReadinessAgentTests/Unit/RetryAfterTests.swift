import Foundation
import Testing
@testable import ReadinessAgent

/// RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date; the agent waits at most a day.
@Suite struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 1_765_000_000)

    @Test func delaySecondsCountFromNow() {
        #expect(RetryAfter.moment("120", now: now) == now.addingTimeInterval(120))
        #expect(RetryAfter.moment(" 0 ", now: now) == now)
    }

    @Test func anHTTPDateIsTheMomentItNames() {
        // 1_765_000_000 is Sat, 06 Dec 2025 05:46:40 GMT.
        #expect(RetryAfter.moment("Sat, 06 Dec 2025 05:48:40 GMT", now: now) == now.addingTimeInterval(120))
    }

    @Test func waitsAreCappedAtADayAndGarbageIsIgnored() {
        #expect(RetryAfter.moment("9999999", now: now) == now.addingTimeInterval(86_400))
        #expect(RetryAfter.moment("soon", now: now) == nil)
        #expect(RetryAfter.moment("-5", now: now) == nil)
    }
}
