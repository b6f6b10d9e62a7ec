/// What a TLS handshake proved about the peer.
public struct TLSPeerCheck: Sendable, Equatable {
    /// The chain verified against the trust store (`SSL_get_verify_result`).
    public var chainVerified: Bool
    /// The leaf names the host (RFC 6125 via `X509_check_host`).
    public var hostMatches: Bool
    /// The leaf's issuer common name, else its organisation.
    public var issuer: String?
    /// OpenSSL's reason when the chain did not verify.
    public var verifyError: String?

    public var trusted: Bool { chainVerified && hostMatches }

    public init(chainVerified: Bool, hostMatches: Bool, issuer: String?, verifyError: String?) {
        self.chainVerified = chainVerified
        self.hostMatches = hostMatches
        self.issuer = issuer
        self.verifyError = verifyError
    }
}
