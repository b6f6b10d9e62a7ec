import Foundation
import Logging
import STUN
import Sockets

/// A STUN Binding reflector (RFC 8489 §7.3) with the delayed answers of the UDP idle-timeout
/// probe (ANSWER-AFTER), on dedicated threads: one blocking receiver per socket and one timer
/// thread for delayed answers, never Swift's cooperative pool.
///
/// Sockets are bound by ``init(configuration:logger:)`` (so the bound ports are known before
/// anything runs), served from ``start()``, and closed by ``shutdown()``.
public final class STUNReflector: @unchecked Sendable {
    // @unchecked Sendable is safe because `core`, `isStarted` and `isStopping` are only
    // touched under `lock`, and the sockets, sleep and signal are themselves thread-safe.
    private let lock = NSLock()
    private var core: ReflectorCore
    private var isStarted = false
    private var isStopping = false
    private var runningThreads = 0
    let sockets: [UDPSocket]
    let timer: WakeableSleep
    private let stopped = StopSignal()
    let configuration: ReflectorConfiguration
    let logger: Logger

    /// The addresses actually bound, in configuration order (ports filled in for port 0): the
    /// required ones, then those of `listenWherePermitted` that could be bound.
    public let boundAddresses: [SocketAddress]
    /// The addresses of `listenWherePermitted` that could not be bound, with the reason.
    public let unboundAddresses: [UnboundAddress]

    public init(configuration: ReflectorConfiguration, logger: Logger) throws(SocketError) {
        var sockets: [UDPSocket] = []
        var bound: [SocketAddress] = []
        var unbound: [UnboundAddress] = []
        do {
            for address in configuration.listen {
                let socket = try UDPSocket(bindingTo: address)
                sockets.append(socket)
                bound.append(try socket.localAddress())
            }
            // An address listed as required too is bound once (port 0 means "another port").
            for address in configuration.listenWherePermitted where address.port == 0 || !configuration.listen.contains(address) {
                let socket: UDPSocket
                do {
                    socket = try UDPSocket(bindingTo: address)
                } catch {
                    unbound.append(UnboundAddress(address: address, reason: error.description))
                    continue
                }
                sockets.append(socket)
                bound.append(try socket.localAddress())
            }
        } catch {
            for socket in sockets { socket.close() }
            throw error
        }
        self.sockets = sockets
        self.boundAddresses = bound
        self.unboundAddresses = unbound
        self.timer = try WakeableSleep()
        self.core = ReflectorCore(limits: configuration.limits)
        self.configuration = configuration
        self.logger = logger
    }

    deinit {
        for socket in sockets { socket.close() }
    }

    /// Starts the threads; a second call does nothing.
    public func start() {
        lock.lock()
        guard !isStarted, !isStopping else { lock.unlock(); return }
        isStarted = true
        runningThreads = sockets.count + 1
        lock.unlock()
        for (index, socket) in sockets.enumerated() {
            let thread = Thread { [self] in
                receiveLoop(socket: socket, index: index)
                threadDidExit()
            }
            thread.name = "stun-reflector-\(index)"
            thread.start()
        }
        let thread = Thread { [self] in
            timerLoop()
            threadDidExit()
        }
        thread.name = "stun-reflector-timer"
        thread.start()
        for address in boundAddresses {
            logger.info("STUN reflector listening", metadata: ["address": "\(address)"])
        }
    }

    /// Closes the sockets, drops pending delayed answers, and returns once every thread has exited.
    public func shutdown() async {
        let wasStarted = stop()
        if wasStarted { await stopped.wait() }
    }

    /// Closes the sockets and tells the threads to exit, without waiting for them (for callers
    /// that cannot await). Returns whether the threads had been started.
    @discardableResult
    public func stop() -> Bool {
        let (wasStarted, counters) = beginStopping()
        for socket in sockets { socket.close() }
        timer.wake()
        logger.debug("STUN reflector stopping", metadata: ["counters": "\(counters)"])
        return wasStarted
    }

    /// A snapshot of what the reflector has done so far.
    public var counters: ReflectorCounters {
        lock.withLock { core.counters }
    }

    /// Threads still running: the receivers and the timer until ``shutdown()`` returns, 0 after.
    public var threadCount: Int {
        lock.withLock { runningThreads }
    }

    /// Delayed answers waiting (requests, not copies).
    public var pendingCount: Int {
        lock.withLock { core.pendingCount }
    }

    private func beginStopping() -> (wasStarted: Bool, counters: ReflectorCounters) {
        lock.withLock {
            isStopping = true
            return (isStarted, core.counters)
        }
    }

    /// Runs `body` on the core under the lock; `stopping` says whether shutdown has begun.
    func withCore<T>(_ body: (inout ReflectorCore, _ stopping: Bool) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&core, isStopping)
    }

    private func threadDidExit() {
        lock.lock()
        runningThreads -= 1
        let last = runningThreads == 0
        lock.unlock()
        if last { stopped.signal() }
    }
}
