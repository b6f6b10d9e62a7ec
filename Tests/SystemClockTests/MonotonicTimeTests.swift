import SystemClock
import Testing

@Suite struct MonotonicTimeTests {
    @Test func neverGoesBackwards() {
        var previous = MonotonicTime.now()
        for _ in 0..<1000 {
            let next = MonotonicTime.now()
            #expect(next >= previous)
            previous = next
        }
    }

    @Test func addsDurationsAndMeasuresElapsedTimeNeverNegative() {
        let start = MonotonicTime(nanoseconds: 5_000_000_000)
        let later = start + .milliseconds(1500)
        #expect(later.nanoseconds == 6_500_000_000)
        #expect(later.duration(since: start) == .milliseconds(1500))
        #expect(start.duration(since: later) == .zero)
    }

    @Test func durationsClampToWholeNonNegativeNanoseconds() {
        #expect(Duration.seconds(-1).nanosecondsClamped == 0)
        #expect(Duration.nanoseconds(1).nanosecondsClamped == 1)
        #expect(Duration.seconds(2).nanosecondsClamped == 2_000_000_000)
        #expect(Duration.seconds(Int64.max).nanosecondsClamped == UInt64.max)
    }
}
