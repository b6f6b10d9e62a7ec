import Sockets
import SystemClock

/// A two-way byte stream a protocol is spoken over: a TCP connection, or TLS on top of one.
/// Every call is bounded by a monotonic deadline and blocks its (dedicated) thread.
public protocol ByteStream: AnyObject {
    func write(_ bytes: [UInt8], deadline: MonotonicTime) throws
    /// Up to `maxCount` bytes; empty at the end of the stream.
    func read(maxCount: Int, deadline: MonotonicTime) throws -> [UInt8]
    func close()
}

extension TCPClientSocket: ByteStream {}
