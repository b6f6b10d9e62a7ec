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
        output.append(contentsOf: bytes)
    }

    /// Lets the caller serialise straight into the connection's output buffer, so a response
    /// costs no intermediate array. Only appending is meaningful; bytes already queued must be
    /// left alone.
    public func enqueue(writing body: (inout [UInt8]) -> Void) {
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
        guard fd >= 0, outputOffset < output.count else { return }
        let written = output.withUnsafeBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            return cshim_send(fd, base + outputOffset, raw.count - outputOffset)
        }
        if written < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                updateInterest()
            } else {
                close()
            }
            return
        }
        outputOffset += written
        if outputOffset == output.count { resetOutput() }
        updateInterest()
        if !hasPendingOutput { delegate?.connectionDidDrain(self) }
    }

    /// Empties the buffer but keeps its capacity for the next response, unless one large
    /// response grew it: a kept-alive idle connection should not pin megabytes.
    private func resetOutput() {
        if output.capacity > Self.retainedOutputCapacity {
            output = []
        } else {
            output.removeAll(keepingCapacity: true)
        }
        outputOffset = 0
    }

    static let retainedOutputCapacity = 64 * 1024
}
