import CSocketShims

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TCPConnection {
    /// Queues bytes without writing; call ``flush()`` once per batch so a response head and
    /// body (and pipelined responses) leave in one `send`.
    public func enqueue(_ bytes: [UInt8]) {
        guard fd >= 0, !bytes.isEmpty else { return }
        output.append(bytes)
    }

    /// Lets the caller serialise straight into the connection's output buffer, so a response
    /// costs no intermediate array. Bytes already queued are out of the caller's reach.
    public func enqueue(writing body: (inout OutputBuffer) -> Void) {
        guard fd >= 0 else { return }
        body(&output)
    }

    /// Writes as much queued output as the kernel takes in one `send`; the rest waits for
    /// writability.
    ///
    /// One contiguous buffer rather than a list of chunks for `writev`: responses here are
    /// small, and copying a head plus a short body into a reused buffer is cheaper than
    /// allocating, retaining and gathering per-response arrays.
    public func flush() {
        guard fd >= 0, let written = output.withPending({ cshim_send(fd, $0, $1) }) else { return }
        if written < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                updateInterest()
            } else {
                close()
            }
            return
        }
        output.markSent(written)
        updateInterest()
        if output.isDrained { delegate?.connectionDidDrain(self) }
    }
}
