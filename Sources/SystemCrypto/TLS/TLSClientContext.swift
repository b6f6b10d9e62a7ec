import CTLS

/// Which certificates the agent trusts: the system's store, or one CA file (`--ca-file`) for
/// a private PKI or a test.
public enum TLSTrust: Sendable, Equatable {
    case system
    case caFile(String)
}

/// An `SSL_CTX` for client connections. `@unchecked Sendable`: after `init` the context is only
/// read (OpenSSL documents `SSL_new` on a shared, configured `SSL_CTX` as thread-safe).
public final class TLSClientContext: @unchecked Sendable {
    let handle: OpaquePointer

    public init(trust: TLSTrust) throws {
        guard let handle = SSL_CTX_new(TLS_client_method()) else { throw TLSError.fromQueue("cannot create a TLS context") }
        self.handle = handle
        _ = ctls_set_min_tls12(handle)
        // Verification runs during the handshake but never aborts it: the TLS probe wants the
        // chain even when it does not verify, and callers that need trust check the result.
        SSL_CTX_set_verify(handle, SSL_VERIFY_NONE, nil)
        switch trust {
        case .system:
            guard SSL_CTX_set_default_verify_paths(handle) == 1 else { throw TLSError.fromQueue("cannot load the system trust store") }
        case let .caFile(path):
            guard SSL_CTX_load_verify_locations(handle, path, nil) == 1 else { throw TLSError.fromQueue("cannot load CA file \(path)") }
        }
    }

    deinit {
        SSL_CTX_free(handle)
    }
}
