import CTLS

/// A TLS failure: the handshake or a record could not be completed. `message` is OpenSSL's
/// own reason, which names no secret.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { "TLS: \(message)" }

    public init(message: String) {
        self.message = message
    }

    /// The oldest queued OpenSSL error (and clears the queue), or `fallback`.
    static func fromQueue(_ fallback: String) -> TLSError {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return TLSError(message: fallback) }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        return TLSError(message: String(nulTerminatedC: text))
    }
}

extension String {
    /// The text of a NUL-terminated C buffer.
    init(nulTerminatedC buffer: [CChar]) {
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
