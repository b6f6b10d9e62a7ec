import CSocketShims
import Foundation
import SystemClock

/// Something registered with a loop that wants readiness callbacks.
protocol PollTarget: AnyObject {
    func handle(_ event: PollEvent)
    /// The loop is stopping: release the descriptor.
    func loopDidStop()
}

/// One thread, one poller, the descriptors it owns.
///
/// Everything registered with a loop is touched only by that loop's dedicated thread, so the
/// cooperative thread pool is never blocked by `epoll_wait`. Other threads talk to the loop
/// only through ``execute(_:)``.
public final class EventLoop: @unchecked Sendable {
    // @unchecked Sendable is safe because: `poller`, `targets`, `timers`, `tickHandler` and the
    // buffers are only used on the loop thread (after `start`); the cross-thread inbox lives in
    // `Inbox`, guarded by its lock; `thread` is written once before the loop runs.
    let poller: any Poller
    private var targets: [PollTarget?] = []
    private var events: [PollEvent] = []
    private var timers = LoopTimers()
    private let inbox: Inbox
    private var tickHandler: (() -> Void)?
    private let tickInterval: Duration
    private var nextTick = MonotonicTime.now()
    /// The clock read once per wake-up (loop thread only). Deadlines are checked per tick, so
    /// this is precise enough for them and saves several clock reads per request.
    public private(set) var cachedNow = MonotonicTime.now()
    /// Reused for every read; connections copy out what they keep.
    let readBuffer: UnsafeMutableRawBufferPointer
    private let stopped = StopSignal()

    /// - Parameter tickInterval: how often the tick handler runs; it bounds timeout precision.
    public init(backend: PollerBackend = .platformDefault, tickInterval: Duration = .milliseconds(100)) throws {
        poller = try makePoller(backend)
        inbox = try Inbox()
        self.tickInterval = tickInterval
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        try poller.add(inbox.readFD, interest: .read)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Runs `body` on every tick (loop thread). Set before ``start(name:)``.
    public func setTickHandler(_ body: @escaping () -> Void) {
        tickHandler = body
    }

    /// Spawns the loop's dedicated thread.
    public func start(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Runs `task` on the loop thread soon. Safe from any thread; wake-ups are coalesced so a
    /// burst of completions costs one `eventfd` write.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        inbox.push(task)
    }

    /// Asks the loop to close everything it owns and exit its thread.
    public func stop() {
        inbox.requestStop()
    }

    /// Returns once the loop thread has exited.
    public func waitUntilStopped() async {
        await stopped.wait()
    }

    /// Runs `body` on the loop thread after `delay` (loop thread only).
    public func schedule(after delay: Duration, _ body: @escaping () -> Void) {
        timers.add(deadline: .now() + delay, body)
    }

    func register(_ target: PollTarget, fd: Int32, interest: Interest) throws {
        try poller.add(fd, interest: interest)
        let index = Int(fd)
        if index >= targets.count {
            targets.append(contentsOf: repeatElement(nil, count: index - targets.count + 1))
        }
        targets[index] = target
    }

    func deregister(fd: Int32) {
        poller.remove(fd)
        if Int(fd) < targets.count { targets[Int(fd)] = nil }
    }

    private func run() {
        // Read under the inbox's lock only when the inbox woke the loop (`stop()` always
        // signals it), not on every wake-up.
        var stopping = inbox.isStopRequested
        cachedNow = .now()
        while !stopping {
            // One clock read per wake-up, after the wait: handling a batch takes microseconds,
            // and timers and ticks only need millisecond precision.
            let now = cachedNow
            var wakeAt = nextTick
            if let timer = timers.earliest, timer < wakeAt { wakeAt = timer }
            let waitNanos = wakeAt > now ? wakeAt.nanoseconds - now.nanoseconds : 0
            let timeout = Int32(clamping: (waitNanos + 999_999) / 1_000_000)
            do {
                try poller.wait(timeoutMilliseconds: timeout, into: &events)
            } catch {
                break
            }
            cachedNow = .now()
            for event in events {
                if event.fd == inbox.readFD {
                    inbox.drain()
                    stopping = inbox.isStopRequested
                } else if Int(event.fd) < targets.count, let target = targets[Int(event.fd)] {
                    target.handle(event)
                }
            }
            timers.fire(now: cachedNow)
            if cachedNow >= nextTick {
                tickHandler?()
                nextTick = cachedNow + tickInterval
            }
        }
        for target in targets { target?.loopDidStop() }
        targets.removeAll()
        tickHandler = nil
        poller.close()
        inbox.close()
        stopped.signal()
    }
}
