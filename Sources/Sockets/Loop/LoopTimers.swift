import SystemClock

/// A handful of one-shot timers (listener back-off, tests); connection timeouts use the tick.
struct LoopTimers {
    private var entries: [(deadline: MonotonicTime, body: () -> Void)] = []

    var earliest: MonotonicTime? {
        entries.lazy.map(\.deadline).min()
    }

    mutating func add(deadline: MonotonicTime, _ body: @escaping () -> Void) {
        entries.append((deadline, body))
    }

    mutating func fire(now: MonotonicTime) {
        guard !entries.isEmpty else { return }
        let due = entries.filter { $0.deadline <= now }
        guard !due.isEmpty else { return }
        entries.removeAll { $0.deadline <= now }
        for entry in due { entry.body() }
    }
}
