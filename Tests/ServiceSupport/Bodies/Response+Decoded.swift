import Foundation

extension APIClient.Response {
    /// The body decoded as `T`: the API's snake_case members are read into camelCase properties,
    /// and RFC 3339 times (with or without fractional seconds) into `Date`s. Throws, naming the
    /// member, when the body does not have the shape `T` declares: a test then fails on the
    /// answer's shape as well as on its values.
    public func decoded<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try APIBodyDecoder.shared.decode(T.self, from: body)
    }

    /// The body as a problem document (RFC 9457).
    public var problem: ProblemBody? { try? decoded(ProblemBody.self) }
}

/// The decoder the tests read API answers with (`APIClient.Response.decoded`).
public enum APIBodyDecoder {
    public static var shared: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = RFC3339Text.date(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an RFC 3339 time: \(text)"))
            }
            return date
        }
        return decoder
    }
}

/// RFC 3339 times as the API writes them, read independently of the service's own code.
public enum RFC3339Text {
    public static func date(_ text: String) -> Date? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        return ISO8601DateFormatter().date(from: text)
    }
}
