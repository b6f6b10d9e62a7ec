import CSocketShims

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Callbacks from a connection to whoever speaks a protocol over it; all on the loop thread.
public protocol TCPConnectionDelegate: AnyObject {
    /// Bytes arrived. The buffer is the loop's and is only valid during the call.
    func connection(_ connection: TCPConnection, didRead bytes: UnsafeRawBufferPointer)
    /// The peer shut down its sending side; writing may still work.
    func connectionDidReachEndOfInput(_ connection: TCPConnection)
    /// Everything enqueued has been written.
    func connectionDidDrain(_ connection: TCPConnection)
    /// The descriptor is closed (locally, by error, or because the loop stopped).
    func connectionDidClose(_ connection: TCPConnection)
}

/// An accepted, non-blocking TCP stream with `TCP_NODELAY` set, owned by one loop.
///
/// Not `Sendable`: it must only be used on its loop's thread.
public final class TCPConnection: PollTarget {
    var fd: Int32
    let loop: EventLoop
    /// Held strongly until ``close()``, which drops it and so breaks the delegate ↔ connection
    /// cycle. Not `weak`: a weakly referenced object gets a side table, which moves every
    /// retain and release of it (several per request) onto the runtime's slow path.
    public var delegate: (any TCPConnectionDelegate)?
    /// Output not yet accepted by the kernel; reused between responses.
    var output = OutputBuffer()
    private var interest: Interest = .read
    public private(set) var isReadingPaused = false

    init(fd: Int32, loop: EventLoop) {
        self.fd = fd
        self.loop = loop
    }

    public var isOpen: Bool { fd >= 0 }

    /// The loop this connection belongs to, for handing work back to it from other threads.
    public var eventLoop: EventLoop { loop }

    /// True while output is waiting for the socket to become writable.
    public var hasPendingOutput: Bool { !output.isDrained }

    public func pauseReading() {
        isReadingPaused = true
        updateInterest()
    }

    public func resumeReading() {
        isReadingPaused = false
        updateInterest()
    }

    /// Half-closes: sends FIN after queued output but keeps reading, so a final response is
    /// not lost to a reset caused by unread client bytes.
    public func shutdownOutput() {
        guard fd >= 0 else { return }
        _ = shutdown(fd, Int32(SHUT_WR))
    }

    public func close() {
        guard fd >= 0 else { return }
        loop.deregister(fd: fd)
        _ = systemClose(fd)
        fd = -1
        output.release()
        let delegate = delegate
        self.delegate = nil
        delegate?.connectionDidClose(self)
    }

    func updateInterest() {
        guard fd >= 0 else { return }
        var wanted: Interest = []
        if !isReadingPaused { wanted.insert(.read) }
        if hasPendingOutput { wanted.insert(.write) }
        guard wanted != interest else { return }
        interest = wanted
        do { try loop.poller.modify(fd, interest: wanted) } catch { close() }
    }

    func handle(_ event: PollEvent) {
        if event.writable { flush() }
        if event.readable && !isReadingPaused {
            readOnce()
        } else if event.hangup && fd >= 0 {
            // Level-triggered HUP/ERR is reported even without interest; nobody is left to answer.
            close()
        }
    }

    /// One `read` per readiness report: level-triggered polling reports leftovers again.
    private func readOnce() {
        let buffer = loop.readBuffer
        let count = read(fd, buffer.baseAddress, buffer.count)
        if count > 0 {
            delegate?.connection(self, didRead: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        } else if count == 0 {
            isReadingPaused = true
            updateInterest()
            delegate?.connectionDidReachEndOfInput(self)
        } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
            close()
        }
    }

    func loopDidStop() {
        close()
    }
}
