import Foundation

/// Whether a connection can carry another request after a response (RFC 9112 §9.3, §6.3).
enum ConnectionPersistence {
    /// False when the server said `close`, when an HTTP/1.0 server did not say `keep-alive`,
    /// and when the body was framed by the end of the connection (no length, not chunked).
    static func persists(after response: HTTPClientResponse, method: String, http10: Bool) -> Bool {
        let options = (response.header("Connection") ?? "").lowercased().split(separator: ",").map(FieldText.trimmed)
        if options.contains("close") { return false }
        if http10 && !options.contains("keep-alive") { return false }
        let bodiless = method == "HEAD" || response.status < 200 || response.status == 204 || response.status == 304
        let framed = response.header("Content-Length") != nil
            || (response.header("Transfer-Encoding")?.lowercased().contains("chunked") ?? false)
        return bodiless || framed
    }
}
