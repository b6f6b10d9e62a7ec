import Foundation
import HTTPServer
import ReadinessDomain

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
        var response = HTTPResponse(status: status, headers: headers, body: Array(try encoder.encode(value)))
        response.headers["Content-Type"] = "application/json"
        return response
    }
}
