import Foundation

extension HTTPResponse {
    /// `value` encoded with `encoder` as `application/json`.
    public static func json<Value: Encodable>(
        _ value: Value, status: HTTPStatus = .ok, headers: HTTPHeaders = [:], encoder: JSONEncoder = JSONEncoder()
    ) throws -> HTTPResponse {
        var headers = headers
        headers["Content-Type"] = "application/json"
        return HTTPResponse(status: status, headers: headers, body: Array(try encoder.encode(value)))
    }

    /// A pre-built JSON document, for callers that already hold the bytes.
    public static func json(bytes: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: bytes)
    }
}

extension HTTPRequest {
    /// The body decoded as JSON; a malformed body is the client's fault, so it becomes a 400.
    public func decodeJSON<Value: Decodable>(_ type: Value.Type, decoder: JSONDecoder = JSONDecoder()) throws -> Value {
        do {
            return try decoder.decode(type, from: Data(body))
        } catch {
            throw HTTPError(status: .badRequest, detail: "The request body is not valid JSON for this endpoint.")
        }
    }
}
