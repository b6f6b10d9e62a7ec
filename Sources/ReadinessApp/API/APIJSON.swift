import JSON
import Foundation
import HTTPServer

/// One JSON dialect for every response and request body: RFC 3339 times in UTC, keys as the
/// types' CodingKeys spell them (snake_case throughout the API).
enum APIJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339Timestamp.format(date))
        }
        // Stable bytes for equal values: ETags and idempotent replays compare them.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an RFC 3339 date-time")
            }
            return date
        }
        return decoder
    }()

    static func response<Value: Encodable>(
        _ value: Value, status: HTTPStatus = .ok, headers: HTTPHeaders = [:]
    ) throws -> HTTPResponse {
        // A type that writes itself skips Foundation's encoder; with a non-finite figure it
        // goes through the encoder all the same, which refuses it as before.
        let body = try (value as? any JSONWritable)?.jsonBytes() ?? Array(encoder.encode(value))
        var response = HTTPResponse(status: status, headers: headers, body: body)
        response.headers["Content-Type"] = "application/json"
        return response
    }
}
