import Logging

/// The one place errors become responses: RFC 9457 `application/problem+json`.
///
/// Only ``HTTPError`` text reaches the client; any other error is logged and answered with a
/// generic 500 so server internals never leak.
enum ProblemDocument {
    static func response(for error: any Error, instance: String?, logger: Logger) -> HTTPResponse {
        if let error = error as? HTTPError {
            return response(for: error, instance: instance)
        }
        logger.error("unhandled error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
        logger.debug("unhandled error detail", metadata: ["error": "\(error)"])
        return response(for: HTTPError(status: .internalServerError), instance: instance)
    }

    static func response(for error: HTTPError, instance: String?) -> HTTPResponse {
        var body: [UInt8] = []
        body.reserveCapacity(160)
        var members: [String: JSONValue] = error.extensions
        // RFC 9457 §3.1: the standard members win over extensions with the same name.
        members["type"] = .string(error.type ?? "about:blank")
        members["title"] = .string(error.title ?? error.status.reasonPhrase)
        members["status"] = .int(error.status.code)
        if let detail = error.detail { members["detail"] = .string(detail) }
        if let instance { members["instance"] = .string(instance) }
        JSONValue.object(members).write(to: &body)
        var headers = error.headers
        headers["Content-Type"] = "application/problem+json"
        return HTTPResponse(status: error.status, headers: headers, body: body)
    }
}
