import JSON
import Foundation
import HTTPServer

/// The one way in for JSON request bodies, answering the client's mistakes precisely: 415 for
/// another media type, 400 naming the byte offset for bytes that are not JSON (invalid UTF-8
/// included), 422 naming the member by JSON pointer (RFC 6901) for JSON the service will not
/// take (a member name repeated in its object, RFC 7493 §2.3) or of the wrong shape.
/// Uploads are read by the same parser and answered by the same rules (``ResultIngest``).
enum RequestBody {
    /// `application/json` or any `+json` type, with or without parameters (RFC 6839 §3.1).
    static func requireJSON(_ request: HTTPRequest) throws {
        guard let contentType = request.headers["content-type"], HeaderToken.isJSONMediaType(contentType) else {
            throw HTTPError(
                status: .unsupportedMediaType, detail: "send the body as application/json",
                problem: ProblemTypes.unsupportedMediaType)
        }
    }

    /// Every fault named by pointer, the shape every operation uses. Faults in the query string
    /// (pointers under `/query/`) make the request target malformed: 400. Faults in the body
    /// are well-formed JSON with the wrong content: 422 (RFC 9110 §15.5.21).
    static func validationProblem(_ faults: [(pointer: String, detail: String)]) -> HTTPError {
        let errors: JSONValue = .array(faults.map { ["pointer": .string($0.pointer), "detail": .string($0.detail)] })
        if !faults.isEmpty, faults.allSatisfy({ $0.pointer.hasPrefix("/query/") }) {
            let summary = faults.count == 1 ? "1 query parameter is invalid" : "\(faults.count) query parameters are invalid"
            return HTTPError(
                status: .badRequest, detail: summary, problem: ProblemTypes.invalidRequest,
                extensions: ["errors": errors])
        }
        let summary = faults.count == 1 ? "1 field is invalid" : "\(faults.count) fields are invalid"
        return HTTPError(
            status: .unprocessableContent, detail: summary, problem: ProblemTypes.validation,
            extensions: ["errors": errors])
    }
}
