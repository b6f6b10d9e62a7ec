import Foundation
import Logging
import Sockets
import SystemClock

/// An HTTP/1.1 server: one event-loop thread per configured loop, each owning an
/// `SO_REUSEPORT` listener and the connections it accepts.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(port: 8080), responder: router.buildResponder(), logger: logger)
/// try server.installSignalHandlers()
/// try await server.run()   // returns after SIGTERM/SIGINT or `shutdown(deadline:)`
/// ```
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    let shared: ServerShared
    let lifecycle = ServerLifecycle()

    public init(configuration: HTTPServerConfiguration, responder: Responder, logger: Logger) {
        self.configuration = configuration
        shared = ServerShared(
            responder: responder, limits: configuration.limits, logger: logger, onRefusal: configuration.onRefusal)
    }

    /// Binds and starts the loops; returns the bound port (useful with port 0).
    @discardableResult
    public func start() throws -> Int {
        try lifecycle.start { try self.startLoops() }
    }

    private func startLoops() throws -> (Int, [LoopState]) {
        ignoreSIGPIPE()
        var states: [LoopState] = []
        var port = configuration.port
        do {
            if configuration.eventLoops > 1 && port != 0 {
                // SO_REUSEPORT, which spreads connections over the loops, would also let this
                // server join another process's listeners on the port (a second `make run`)
                // and silently take half of its connections. A plain bind first fails on a
                // taken port; closed at once, it leaves nothing behind.
                try TCPListener(host: configuration.host, port: port, reusePort: false, backlog: 1).close()
            }
            for _ in 0..<configuration.eventLoops {
                let loop = try EventLoop(backend: configuration.pollerBackend, tickInterval: configuration.tickInterval)
                let state = LoopState(loop: loop, shared: shared)
                states.append(state)
                let listener = try TCPListener(
                    host: configuration.host, port: port, reusePort: configuration.eventLoops > 1,
                    backlog: configuration.listenBacklog)
                port = listener.port
                // Registered before the thread starts, which orders these writes before the loop's reads.
                try listener.register(on: loop) { socket in state.accept(socket) }
                state.listener = listener
                // Strong captures: the loop drops its handlers when it stops, which breaks the cycle.
                loop.setTickHandler { state.tick() }
            }
        } catch {
            for state in states { state.listener?.close() }
            throw error
        }
        for (index, state) in states.enumerated() { state.loop.start(name: "http-loop-\(index)") }
        shared.logger.info("http server listening", metadata: [
            "host": .string(configuration.host), "port": .stringConvertible(port),
            "loops": .stringConvertible(states.count),
        ])
        return (port, states)
    }

    /// Starts if needed and returns once shutdown has finished.
    public func run() async throws {
        if !lifecycle.hasStarted { try start() }
        await lifecycle.finished.wait()
    }

    /// Stops accepting, closes idle connections, lets in-flight requests finish (answered with
    /// `Connection: close`), then closes whatever remains at `deadline`. Safe to call twice.
    public func shutdown(deadline: Duration = .seconds(10)) async {
        guard let states = lifecycle.beginShutdown() else {
            await lifecycle.finished.wait()
            return
        }
        shared.logger.info("http server draining", metadata: ["connections": .stringConvertible(shared.connectionCount)])
        for state in states { state.loop.execute { state.beginDrain() } }
        let end = MonotonicTime.now() + deadline
        while shared.connectionCount > 0 && MonotonicTime.now() < end {
            try? await Task.sleep(for: .milliseconds(10))
        }
        for state in states { state.loop.stop() }
        for state in states { await state.loop.waitUntilStopped() }
        shared.logger.info("http server stopped")
        lifecycle.finished.signal()
    }

    /// Open connections across all loops.
    public var connectionCount: Int { shared.connectionCount }

    private func ignoreSIGPIPE() {
        // Writes use MSG_NOSIGNAL / SO_NOSIGPIPE; this also covers any other descriptor.
        signal(SIGPIPE, SIG_IGN)
    }
}
