import CTLS
import Sockets

/// TLS over any ``ByteStream``: OpenSSL works on memory BIOs and this type moves their bytes
/// through the stream, so no file descriptor leaves the socket layer and a TLS session can run
/// inside an HTTP CONNECT tunnel as easily as over a direct connection.
///
/// `@unchecked Sendable` is not claimed: one probe uses it from one thread.
final class TLSStream: ByteStream {
    /// What the handshake proved about the peer.
    struct PeerCheck: Sendable, Equatable {
        /// The chain verified against the trust store (`SSL_get_verify_result`).
        var chainVerified: Bool
        /// The leaf names the host (RFC 6125 via `X509_check_host`).
        var hostMatches: Bool
        /// The leaf's issuer common name, else its organisation.
        var issuer: String?
        /// OpenSSL's reason when the chain did not verify.
        var verifyError: String?

        var trusted: Bool { chainVerified && hostMatches }
    }

    private let transport: any ByteStream
    private let ssl: OpaquePointer
    private let input: OpaquePointer
    private let output: OpaquePointer
    private let host: String

    /// Runs the handshake, sending `host` as SNI (RFC 6066 §3).
    init(over transport: any ByteStream, host: String, context: TLSClientContext, deadline: MonotonicTime) throws {
        guard let ssl = SSL_new(context.handle) else { throw TLSError.fromQueue("cannot create a TLS session") }
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw TLSError.fromQueue("cannot create memory BIOs")
        }
        SSL_set_bio(ssl, input, output)  // the session owns both BIOs from here on
        self.transport = transport
        self.ssl = ssl
        self.input = input
        self.output = output
        self.host = host
        // SNI is for names only (RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted").
        if !host.contains(":") && !host.allSatisfy({ $0.isNumber || $0 == "." }) {
            _ = ctls_set_server_name(ssl, host)
        }
        SSL_set_connect_state(ssl)
        try handshake(deadline: deadline)
    }

    deinit {
        SSL_free(ssl)
    }

    private func handshake(deadline: MonotonicTime) throws {
        while true {
            let status = SSL_do_handshake(ssl)
            try flushOutput(deadline: deadline)
            if status == 1 { return }
            let reason = SSL_get_error(ssl, status)
            guard reason == SSL_ERROR_WANT_READ else { throw TLSError.fromQueue("handshake failed") }
            guard try fillInput(deadline: deadline) else { throw TLSError(message: "the peer closed the connection during the handshake") }
        }
    }

    /// The peer's certificate judged against the trust store and the host name.
    func peerCheck() -> PeerCheck {
        let verifyResult = SSL_get_verify_result(ssl)
        let verified = verifyResult == ctls_verify_ok()
        var check = PeerCheck(
            chainVerified: verified, hostMatches: false, issuer: nil,
            verifyError: verified ? nil : String(cString: X509_verify_cert_error_string(verifyResult)))
        guard let leaf = ctls_peer_certificate(ssl) else {
            check.chainVerified = false
            check.verifyError = "no certificate"
            return check
        }
        defer { X509_free(leaf) }
        if host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) {
            check.hostMatches = X509_check_ip_asc(leaf, host, 0) == 1
        } else {
            check.hostMatches = X509_check_host(leaf, host, host.utf8.count, 0, nil) == 1
        }
        check.issuer = issuerField(leaf, ctls_nid_common_name()) ?? issuerField(leaf, ctls_nid_organization())
        return check
    }

    private func issuerField(_ certificate: OpaquePointer, _ nid: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let length = ctls_issuer_field(certificate, nid, &buffer, Int32(buffer.count))
        guard length > 0 else { return nil }
        return String(nulTerminated: buffer)
    }

    func write(_ bytes: [UInt8], deadline: MonotonicTime) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
            guard written > 0 else { throw TLSError.fromQueue("write failed") }
            offset += Int(written)
            try flushOutput(deadline: deadline)
        }
    }

    func read(maxCount: Int, deadline: MonotonicTime) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maxCount)
        while true {
            let count = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32(maxCount)) }
            if count > 0 {
                buffer.removeSubrange(Int(count)...)
                return buffer
            }
            let reason = SSL_get_error(ssl, count)
            if reason == SSL_ERROR_ZERO_RETURN { return [] }
            guard reason == SSL_ERROR_WANT_READ else { throw TLSError.fromQueue("read failed") }
            try flushOutput(deadline: deadline)  // TLS 1.3 may answer a key update
            // A peer that closes without close_notify ends the stream all the same.
            guard try fillInput(deadline: deadline) else { return [] }
        }
    }

    func close() {
        _ = SSL_shutdown(ssl)
        try? flushOutput(deadline: .now() + .milliseconds(200))
        transport.close()
    }

    /// Sends whatever OpenSSL queued in the output BIO.
    private func flushOutput(deadline: MonotonicTime) throws {
        while BIO_ctrl_pending(output) > 0 {
            var chunk = [UInt8](repeating: 0, count: 16_384)
            let count = chunk.withUnsafeMutableBytes { BIO_read(output, $0.baseAddress, Int32($0.count)) }
            guard count > 0 else { return }
            chunk.removeSubrange(Int(count)...)
            try transport.write(chunk, deadline: deadline)
        }
    }

    /// Moves one read of the transport into the input BIO; false at end of stream.
    private func fillInput(deadline: MonotonicTime) throws -> Bool {
        let bytes = try transport.read(maxCount: 16_384, deadline: deadline)
        guard !bytes.isEmpty else { return false }
        _ = bytes.withUnsafeBytes { BIO_write(input, $0.baseAddress, Int32($0.count)) }
        return true
    }
}
