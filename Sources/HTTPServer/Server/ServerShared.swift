import Foundation
import Logging

/// What every loop shares: immutable settings plus the global connection count.
final class ServerShared: @unchecked Sendable {
    // @unchecked Sendable is safe because every stored property is immutable and Sendable
    // except `openConnections`, which is only touched under `lock`.
    let responder: Responder
    let limits: HTTPLimits
    let logger: Logger
    let onRefusal: (@Sendable (ServerRefusal) -> Void)?
    private let lock = NSLock()
    private var openConnections = 0

    init(responder: Responder, limits: HTTPLimits, logger: Logger, onRefusal: (@Sendable (ServerRefusal) -> Void)? = nil) {
        self.responder = responder
        self.limits = limits
        self.logger = logger
        self.onRefusal = onRefusal
    }

    /// Claims a slot under ``HTTPLimits/maxConnections``; false means close the newcomer.
    func tryOpenConnection() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard openConnections < limits.maxConnections else { return false }
        openConnections += 1
        return true
    }

    func connectionClosed() {
        lock.lock()
        openConnections -= 1
        lock.unlock()
    }

    var connectionCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return openConnections
    }
}
