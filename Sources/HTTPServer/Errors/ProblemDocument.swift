import JSON
import Logging

/// The one place errors become responses: RFC 9457 `application/problem+json`.
///
/// Only ``HTTPError`` text reaches the client; any other error is logged and answered with a
/// generic 500 so server internals never leak. An error without a type of its own takes its
/// status's entry of ``ServerProblemTypes``.
enum ProblemDocument {
    static func response(for error: any Error, instance: String?, types: ServerProblemTypes, logger: Logger) -> HTTPResponse {
        if let error = error as? HTTPError {
            return response(for: error, instance: instance, types: types)
        }
        logger.error("unhandled error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
        logger.debug("unhandled error detail", metadata: ["error": "\(error)"])
        return response(for: HTTPError(status: .internalServerError), instance: instance, types: types)
    }

    static func response(for error: HTTPError, instance: String?, types: ServerProblemTypes) -> HTTPResponse {
        var error = error
        if error.type == nil, let problem = types[error.status] {
            error.type = problem.uri
            error.title = problem.title
        }
        var members: [String: JSONValue] = error.extensions
        // RFC 9457 §3.1: the standard members win over extensions with the same name.
        members["type"] = .string(error.type ?? "about:blank")
        members["title"] = .string(error.title ?? error.status.reasonPhrase)
        members["status"] = .number(Double(error.status.code))
        if let detail = error.detail { members["detail"] = .string(detail) }
        if let instance { members["instance"] = .string(instance) }
        // Sorted so documents are byte-for-byte reproducible in tests and logs.
        let json = JSONWriter(capacity: 256)
        JSONValue.object(members.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }).write(to: json)
        let body = (try? json.finished()) ?? json.bytes
        var headers = error.headers
        headers["Content-Type"] = "application/problem+json"
        return HTTPResponse(status: error.status, headers: headers, body: body)
    }
}
