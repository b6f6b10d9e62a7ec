import Foundation
import HTTPServer

/// Keyset pagination: `limit` (1…500, default 100) and an opaque `cursor` that encodes the
/// last key of the previous page, so pages stay consistent while rows are inserted.
struct PageRequest: Sendable {
    static let defaultLimit = 100
    static let maximumLimit = 500

    let limit: Int
    /// The decoded cursor: the key after which the page starts (nil on the first page).
    let after: String?

    init(_ request: HTTPRequest) throws {
        if let text = request.query["limit"] {
            guard let value = Int(text), (1...Self.maximumLimit).contains(value) else {
                throw RequestBody.validationProblem([("/query/limit", "must be a whole number from 1 to \(Self.maximumLimit)")])
            }
            limit = value
        } else {
            limit = Self.defaultLimit
        }
        if let cursor = request.query["cursor"] {
            guard let key = Cursor.decode(cursor) else {
                throw RequestBody.validationProblem([("/query/cursor", "is not a cursor this service issued")])
            }
            after = key
        } else {
            after = nil
        }
    }

    /// The cursor's key read as this list's key (a site id, a sequence number): nil on the
    /// first page; 422 when the cursor is one this service issued for another list.
    func after<Key>(as key: (String) -> Key?) throws -> Key? {
        try after.map { text in
            guard let value = key(text) else {
                throw RequestBody.validationProblem([("/query/cursor", "is not a cursor of this list")])
            }
            return value
        }
    }
}

/// Cursors are base64url of the last key, prefixed so a random string is refused.
enum Cursor {
    private static let prefix = "c1."
    /// The spec's `maxLength` for the cursor parameter. Every key is a UUID or an integer,
    /// so an issued cursor is under 60 characters; a longer one was not issued here.
    static let maximumLength = 512

    static func encode(_ key: String) -> String {
        prefix + Data(key.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) -> String? {
        guard cursor.hasPrefix(prefix), cursor.utf8.count <= maximumLength else { return nil }
        var base64 = String(cursor.dropFirst(prefix.count))
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}

/// A page of a list: `{"items": [...], "next_cursor": "..." | null}` plus a `Link` header.
struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    let items: [Item]
    let nextCursor: String?

    /// Its members are declared once, in `PageShape`.
    func encode(to encoder: any Encoder) throws {
        try PageShape(items: .init(encoding: items), nextCursor: nextCursor).encode(to: encoder)
    }

    /// Builds the page from `limit + 1` fetched rows: the extra row only says there is more.
    init(fetched: [Item], limit: Int, key: (Item) -> String) {
        items = Array(fetched.prefix(limit))
        nextCursor = fetched.count > limit ? items.last.map { Cursor.encode(key($0)) } : nil
    }

    /// The JSON response with `Link: <…>; rel="next"` (RFC 8288) pointing at the next page.
    func response(for request: HTTPRequest) throws -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        if let nextCursor {
            var query = request.query.filter { $0.name != "cursor" }.map { "\($0.name.percentEncodedForQuery)=\($0.value.percentEncodedForQuery)" }
            query.append("cursor=\(nextCursor)")
            headers["Link"] = "<\(request.path)?\(query.joined(separator: "&"))>; rel=\"next\""
        }
        return try APIJSON.response(self, headers: headers)
    }
}

extension String {
    var percentEncodedForQuery: String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+;")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}
