import SystemClock
import SystemCrypto

/// TLS over any ``ByteStream``: a ``TLSSession`` (OpenSSL on memory BIOs, in `SystemCrypto`)
/// and this type moves its bytes through the stream, so no file descriptor leaves the socket
/// layer and a TLS session can run inside an HTTP CONNECT tunnel as easily as over a direct
/// connection.
///
/// `@unchecked Sendable` is not claimed: one probe uses it from one thread.
public final class TLSStream: ByteStream {
    private let transport: any ByteStream
    private let session: TLSSession

    /// Runs the handshake, sending `host` as SNI (RFC 6066 §3).
    public init(over transport: any ByteStream, host: String, context: TLSClientContext, deadline: MonotonicTime) throws {
        self.transport = transport
        session = try TLSSession(host: host, context: context)
        try handshake(deadline: deadline)
    }

    private func handshake(deadline: MonotonicTime) throws {
        while true {
            let step = session.handshakeStep()
            try flushOutput(deadline: deadline)
            switch step {
            case .finished: return
            case let .failed(error): throw error
            case .needsInput:
                guard try fillInput(deadline: deadline) else { throw TLSError(message: "the peer closed the connection during the handshake") }
            }
        }
    }

    /// The peer's certificate judged against the trust store and the host name.
    public func peerCheck() -> TLSPeerCheck {
        session.peerCheck()
    }

    public func write(_ bytes: [UInt8], deadline: MonotonicTime) throws {
        var offset = 0
        while offset < bytes.count {
            offset += try session.write(bytes[offset...])
            try flushOutput(deadline: deadline)
        }
    }

    public func read(maxCount: Int, deadline: MonotonicTime) throws -> [UInt8] {
        while true {
            switch try session.read(maxCount: maxCount) {
            case let .bytes(bytes): return bytes
            case .closed: return []
            case .needsInput:
                try flushOutput(deadline: deadline)  // TLS 1.3 may answer a key update
                // A peer that closes without close_notify ends the stream all the same.
                guard try fillInput(deadline: deadline) else { return [] }
            }
        }
    }

    public func close() {
        session.shutdown()
        try? flushOutput(deadline: .now() + .milliseconds(200))
        transport.close()
    }

    /// Sends whatever the session queued for the peer.
    private func flushOutput(deadline: MonotonicTime) throws {
        while true {
            let chunk = session.takeOutput()
            guard !chunk.isEmpty else { return }
            try transport.write(chunk, deadline: deadline)
        }
    }

    /// Moves one read of the transport into the session; false at end of stream.
    private func fillInput(deadline: MonotonicTime) throws -> Bool {
        let bytes = try transport.read(maxCount: 16_384, deadline: deadline)
        guard !bytes.isEmpty else { return false }
        session.receive(bytes)
        return true
    }
}
