import Testing
@testable import Postgres

@Suite struct PoolStateMachineTests {
    let start = ContinuousClock.now

    func machine(min: Int = 0, max: Int = 2, idle: Duration = .seconds(10)) -> PoolStateMachine {
        PoolStateMachine(minConnections: min, maxConnections: max, idleTimeout: idle)
    }

    @Test func createsConnectionsUpToMaximumThenQueuesWaiters() {
        var pool = machine(max: 2)
        let result1 = pool.acquire(1)
        #expect(result1 == .create(0))
        let result2 = pool.acquire(2)
        #expect(result2 == .create(1))
        let result3 = pool.acquire(3)
        #expect(result3 == .wait)
        #expect(pool.connectionCount == 2)
        #expect(pool.waiterCount == 1)
    }

    @Test func reusesIdleConnectionBeforeCreatingOne() {
        var pool = machine(max: 2)
        let result4 = pool.acquire(1)
        #expect(result4 == .create(0))
        let result5 = pool.release(0, now: start)
        #expect(result5 == .idle)
        let result6 = pool.acquire(2)
        #expect(result6 == .lease(0))
        #expect(pool.connectionCount == 1)
    }

    @Test func releaseHandsConnectionToOldestWaiter() {
        var pool = machine(max: 1)
        _ = pool.acquire(1)
        let result7 = pool.acquire(2)
        #expect(result7 == .wait)
        let result8 = pool.acquire(3)
        #expect(result8 == .wait)
        let result9 = pool.release(0, now: start)
        #expect(result9 == .lease(to: 2))
        let result10 = pool.release(0, now: start)
        #expect(result10 == .lease(to: 3))
        let result11 = pool.release(0, now: start)
        #expect(result11 == .idle)
        #expect(pool.idleCount == 1)
    }

    @Test func timedOutWaiterIsRemovedAndNotServedLater() {
        var pool = machine(max: 1)
        _ = pool.acquire(1)
        _ = pool.acquire(2)
        let result12 = pool.removeWaiter(2)
        #expect(result12)
        let result13 = pool.removeWaiter(2)
        #expect(!result13)
        let result14 = pool.release(0, now: start)
        #expect(result14 == .idle)
    }

    @Test func waiterServedBeforeItsDeadlineCannotBeFailedAfterwards() {
        var pool = machine(max: 1)
        _ = pool.acquire(1)
        _ = pool.acquire(2)
        let result15 = pool.release(0, now: start)
        #expect(result15 == .lease(to: 2))
        let result16 = pool.removeWaiter(2)
        #expect(!result16)
    }

    @Test func closesOnlyExpiredIdleConnectionsAboveMinimum() {
        var pool = machine(min: 1, max: 3, idle: .seconds(10))
        for waiter in 1...3 { _ = pool.acquire(waiter) }
        _ = pool.release(0, now: start)
        _ = pool.release(1, now: start + .seconds(5))
        _ = pool.release(2, now: start + .seconds(8))
        let result17 = pool.closeExpired(now: start + .seconds(9))
        #expect(result17.isEmpty)
        let result18 = pool.closeExpired(now: start + .seconds(16))
        #expect(result18 == [0, 1])
        #expect(pool.connectionCount == 1)
        #expect(pool.closeExpired(now: start + .seconds(100)).isEmpty)  // the minimum stays
    }

    @Test func leasedConnectionsAreNeverClosedByIdleTimeout() {
        var pool = machine(min: 0, max: 1, idle: .seconds(1))
        _ = pool.acquire(1)
        let result19 = pool.closeExpired(now: start + .seconds(100))
        #expect(result19.isEmpty)
        #expect(pool.leasedCount == 1)
    }

    @Test func shutdownFailsWaitersClosesIdleAndClosesLeasedOnRelease() {
        var pool = machine(max: 2)
        _ = pool.acquire(1)
        _ = pool.acquire(2)
        _ = pool.release(1, now: start)
        _ = pool.acquire(3)  // takes the idle one back
        _ = pool.release(1, now: start)
        let result20 = pool.acquire(4)
        #expect(result20 == .lease(1))
        let result21 = pool.acquire(5)
        #expect(result21 == .wait)
        _ = pool.release(1, now: start)  // goes to waiter 5
        let (failed, closed) = pool.shutdown()
        #expect(failed.isEmpty)
        #expect(closed.isEmpty)
        let result22 = pool.release(0, now: start)
        #expect(result22 == .close)
        let result23 = pool.release(1, now: start)
        #expect(result23 == .close)
        let result24 = pool.acquire(6)
        #expect(result24 == .failShutdown)
        #expect(pool.connectionCount == 0)
    }

    @Test func shutdownReturnsQueuedWaiters() {
        var pool = machine(max: 1)
        _ = pool.acquire(1)
        _ = pool.acquire(2)
        _ = pool.release(0, now: start)  // to waiter 2
        _ = pool.acquire(3)
        let (failed, _) = pool.shutdown()
        #expect(failed == [3])
    }

    @Test func doubleReleaseIsIgnored() {
        var pool = machine(max: 1)
        _ = pool.acquire(1)
        let result25 = pool.release(0, now: start)
        #expect(result25 == .idle)
        let result26 = pool.release(0, now: start)
        #expect(result26 == .idle)
        #expect(pool.idleCount == 1)
    }
}
