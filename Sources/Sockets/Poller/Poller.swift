/// Which readiness API an ``EventLoop`` waits on.
public enum PollerBackend: Sendable {
    /// Linux `epoll`, level-triggered.
    case epoll
    /// POSIX `poll()`; the fallback for macOS and a way to test the portable path on Linux.
    case poll

    /// `epoll` where the platform has it, `poll` everywhere else.
    public static var platformDefault: PollerBackend {
        #if os(Linux)
        .epoll
        #else
        .poll
        #endif
    }
}

/// What a registered descriptor wants to be woken for.
struct Interest: OptionSet {
    let rawValue: UInt8
    static let read = Interest(rawValue: 1)
    static let write = Interest(rawValue: 2)
}

/// One readiness report.
struct PollEvent {
    var fd: Int32
    var readable: Bool
    var writable: Bool
    /// Hang-up or error: the peer is gone even if nothing is readable.
    var hangup: Bool
}

/// One backend per file (`Poller+ePoll.swift`, `Poller+Poll.swift`). Used only by the loop
/// thread that owns it, so implementations need no locking.
protocol Poller: AnyObject {
    func add(_ fd: Int32, interest: Interest) throws
    func modify(_ fd: Int32, interest: Interest) throws
    func remove(_ fd: Int32)
    /// Blocks up to `timeoutMilliseconds` (the loop's own thread, never the cooperative pool).
    func wait(timeoutMilliseconds: Int32, into events: inout [PollEvent]) throws
    func close()
}

func makePoller(_ backend: PollerBackend) throws -> any Poller {
    switch backend {
    case .epoll: try EPollPoller()
    case .poll: PollPoller()
    }
}
