import Foundation
import HTTPServer

/// Decodes a JSON request body into `Value`, answering the client's mistakes precisely:
/// 415 for another media type, 400 for bytes that are not JSON, 422 naming the bad member by
/// JSON pointer (RFC 6901) for JSON of the wrong shape.
enum RequestBody {
    static func decode<Value: Decodable>(_ type: Value.Type, from request: HTTPRequest) throws -> Value {
        try requireJSON(request)
        do {
            return try APIJSON.decoder.decode(Value.self, from: Data(request.body))
        } catch let error as DecodingError {
            throw problem(for: error)
        } catch {
            throw HTTPError(status: .badRequest, detail: "the body is not valid JSON", problem: ProblemTypes.invalidRequest)
        }
    }

    /// `application/json` or any `+json` type, with or without parameters (RFC 6839 §3.1).
    static func requireJSON(_ request: HTTPRequest) throws {
        guard let contentType = request.headers["content-type"], HeaderToken.isJSONMediaType(contentType) else {
            throw HTTPError(
                status: .unsupportedMediaType, detail: "send the body as application/json",
                problem: ProblemTypes.unsupportedMediaType)
        }
    }

    static func problem(for error: DecodingError) -> HTTPError {
        let (path, detail): ([any CodingKey], String) =
            switch error {
            case .keyNotFound(let key, let context): (context.codingPath + [key], "is required")
            case .typeMismatch(let type, let context): (context.codingPath, "must be \(describe(type))")
            case .valueNotFound(let type, let context): (context.codingPath, "must be \(describe(type)), not null")
            case .dataCorrupted(let context):
                context.codingPath.isEmpty
                    ? ([], "the body is not valid JSON") : (context.codingPath, context.debugDescription)
            @unknown default: ([], "the body does not match the expected shape")
            }
        if path.isEmpty && detail == "the body is not valid JSON" {
            return HTTPError(status: .badRequest, detail: detail, problem: ProblemTypes.invalidRequest)
        }
        return validationProblem([(pointer(path), detail)])
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

    static func pointer(_ path: [any CodingKey]) -> String {
        path.map { key in
            let token = key.intValue.map(String.init) ?? key.stringValue
            return "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }.joined()
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int32.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default: String(describing: type).contains("Array") ? "an array" : "an object"
        }
    }
}
