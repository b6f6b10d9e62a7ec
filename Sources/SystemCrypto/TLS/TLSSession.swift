import CTLS

/// One client TLS session over memory BIOs: OpenSSL reads the peer's bytes from what
/// ``receive(_:)`` hands it and leaves its own in ``takeOutput()``. It does no I/O; whoever
/// drives it moves those bytes over a connection, so no file descriptor reaches this module
/// and a session can run inside an HTTP CONNECT tunnel as easily as over a direct connection.
///
/// Not `Sendable`: one probe drives a session from one thread.
public final class TLSSession {
    /// Where a handshake step left the session.
    public enum HandshakeStep {
        case finished
        /// OpenSSL waits for more of the peer's bytes.
        case needsInput
        /// The handshake cannot complete; ``takeOutput()`` may still hold an alert to send.
        case failed(TLSError)
    }

    /// What a read found.
    public enum ReadOutcome {
        case bytes([UInt8])
        /// The peer's close_notify.
        case closed
        case needsInput
    }

    private let ssl: OpaquePointer
    private let input: OpaquePointer
    private let output: OpaquePointer
    private let host: String

    /// A session in the client role for `host`, sent as SNI when it is a name (RFC 6066 §3).
    public init(host: String, context: TLSClientContext) throws {
        guard let ssl = SSL_new(context.handle) else { throw TLSError.fromQueue("cannot create a TLS session") }
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw TLSError.fromQueue("cannot create memory BIOs")
        }
        SSL_set_bio(ssl, input, output)  // the session owns both BIOs from here on
        self.ssl = ssl
        self.input = input
        self.output = output
        self.host = host
        // SNI is for names only (RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted").
        if !Self.isAddressLiteral(host) {
            _ = ctls_set_server_name(ssl, host)
        }
        SSL_set_connect_state(ssl)
    }

    deinit {
        SSL_free(ssl)
    }

    /// Advances the handshake as far as the bytes received so far allow.
    public func handshakeStep() -> HandshakeStep {
        let status = SSL_do_handshake(ssl)
        if status == 1 { return .finished }
        guard SSL_get_error(ssl, status) == SSL_ERROR_WANT_READ else { return .failed(TLSError.fromQueue("handshake failed")) }
        return .needsInput
    }

    /// Up to `maxCount` bytes OpenSSL queued for the peer; empty when none are queued.
    public func takeOutput(maxCount: Int = 16_384) -> [UInt8] {
        guard BIO_ctrl_pending(output) > 0 else { return [] }
        var chunk = [UInt8](repeating: 0, count: maxCount)
        let count = chunk.withUnsafeMutableBytes { BIO_read(output, $0.baseAddress, Int32($0.count)) }
        guard count > 0 else { return [] }
        chunk.removeSubrange(Int(count)...)
        return chunk
    }

    /// Hands OpenSSL bytes that arrived from the peer.
    public func receive(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { BIO_write(input, $0.baseAddress, Int32($0.count)) }
    }

    /// Encrypts a prefix of `bytes` into the output; how many bytes it took.
    public func write(_ bytes: ArraySlice<UInt8>) throws -> Int {
        let written = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard written > 0 else { throw TLSError.fromQueue("write failed") }
        return Int(written)
    }

    /// Up to `maxCount` decrypted bytes, or why there are none yet.
    public func read(maxCount: Int) throws -> ReadOutcome {
        var buffer = [UInt8](repeating: 0, count: maxCount)
        let count = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32(maxCount)) }
        if count > 0 {
            buffer.removeSubrange(Int(count)...)
            return .bytes(buffer)
        }
        let reason = SSL_get_error(ssl, count)
        if reason == SSL_ERROR_ZERO_RETURN { return .closed }
        guard reason == SSL_ERROR_WANT_READ else { throw TLSError.fromQueue("read failed") }
        return .needsInput
    }

    /// Queues close_notify (RFC 8446 §6.1) in the output.
    public func shutdown() {
        _ = SSL_shutdown(ssl)
    }

    /// The peer's certificate judged against the trust store and the host name.
    public func peerCheck() -> TLSPeerCheck {
        let verifyResult = SSL_get_verify_result(ssl)
        let verified = verifyResult == ctls_verify_ok()
        var check = TLSPeerCheck(
            chainVerified: verified, hostMatches: false, issuer: nil,
            verifyError: verified ? nil : String(cString: X509_verify_cert_error_string(verifyResult)))
        guard let leaf = ctls_peer_certificate(ssl) else {
            check.chainVerified = false
            check.verifyError = "no certificate"
            return check
        }
        defer { X509_free(leaf) }
        if Self.isAddressLiteral(host) {
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
        return String(nulTerminatedC: buffer)
    }

    /// An IPv6 literal (has a colon) or an IPv4 one (digits and dots).
    private static func isAddressLiteral(_ host: String) -> Bool {
        host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." })
    }
}
