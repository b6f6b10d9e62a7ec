import JSON
import HTTPServer

extension RequestBody {
    /// The body parsed as I-JSON (RFC 7493), after its media type is checked.
    static func json(_ request: HTTPRequest) throws -> JSONValue {
        try requireJSON(request)
        do {
            return try JSONParser.parse(request.body)
        } catch {
            throw problem(for: error)
        }
    }

    /// 422 at the pointer for a document that parsed but is not I-JSON; 400 with the offset
    /// otherwise.
    static func problem(for error: JSONParseError) -> HTTPError {
        if let pointer = error.pointer { return validationProblem([(pointer, error.message)]) }
        return HTTPError(
            status: .badRequest, detail: "the body is not valid JSON: \(error.message) at byte \(error.offset)",
            problem: ProblemTypes.invalidRequest)
    }
}
