import CSocketShims
import Foundation

/// The only cross-thread entry into a loop: a locked queue plus an eventfd (a pipe on macOS).
final class Inbox: @unchecked Sendable {
    // @unchecked Sendable is safe because `tasks`, `wakeupPending` and `stopRequested` are only
    // touched under `lock`; the descriptors are immutable after init.
    let readFD: Int32
    private let writeFD: Int32
    private let lock = NSLock()
    private var tasks: [@Sendable () -> Void] = []
    private var spare: [@Sendable () -> Void] = []
    private var wakeupPending = false
    private var stopRequested = false

    init() throws {
        var readFD: Int32 = -1
        var writeFD: Int32 = -1
        guard cshim_wakeup_create(&readFD, &writeFD) == 0 else { throw SocketError("eventfd") }
        self.readFD = readFD
        self.writeFD = writeFD
    }

    func push(_ task: @escaping @Sendable () -> Void) {
        lock.lock()
        tasks.append(task)
        let needsWakeup = !wakeupPending
        wakeupPending = true
        lock.unlock()
        if needsWakeup { cshim_wakeup_signal(writeFD) }
    }

    func requestStop() {
        lock.lock()
        stopRequested = true
        lock.unlock()
        cshim_wakeup_signal(writeFD)
    }

    var isStopRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopRequested
    }

    /// Runs queued tasks on the loop thread. Swaps buffers so producers never wait on a task.
    func drain() {
        cshim_wakeup_drain(readFD)
        lock.lock()
        swap(&tasks, &spare)
        wakeupPending = false
        lock.unlock()
        for task in spare { task() }
        spare.removeAll(keepingCapacity: true)
    }

    func close() {
        drain()
        _ = systemClose(readFD)
        if writeFD != readFD { _ = systemClose(writeFD) }
    }
}
