/// The per-request deadline every async and deferred handler runs under: past `timeout` the
/// client gets `error` (a 503 with Retry-After, typed by the application) and the handler's
/// task is cancelled. Inline handlers run on the event loop and are quick by contract, so they
/// have none.
public struct RequestDeadlines: Sendable {
    public var timeout: Duration
    public var clock: any DeadlineClock
    /// What the client gets when the deadline passes.
    public var error: HTTPError

    public init(timeout: Duration, clock: any DeadlineClock = DispatchDeadlineClock(), error: HTTPError) {
        self.timeout = timeout
        self.clock = clock
        self.error = error
    }

    /// A deadline `timeout` from now: the route's own when it has one (`Router.setDeadline`).
    func start(timeout routeTimeout: Duration? = nil) -> RequestDeadline {
        let deadline = RequestDeadline()
        deadline.setTimerCancellation(clock.schedule(after: routeTimeout ?? timeout) { [deadline] in deadline.expire() })
        return deadline
    }
}
