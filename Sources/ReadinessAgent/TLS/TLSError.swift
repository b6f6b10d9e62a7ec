import CTLS
import Sockets

/// A TLS failure: the handshake or a record could not be completed. `message` is OpenSSL's
/// own reason, which names no secret.
struct TLSError: Error, Sendable, CustomStringConvertible {
    let message: String
    var description: String { "TLS: \(message)" }

    /// The oldest queued OpenSSL error (and clears the queue), or `fallback`.
    static func fromQueue(_ fallback: String) -> TLSError {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return TLSError(message: fallback) }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        return TLSError(message: String(nulTerminated: text))
    }
}
