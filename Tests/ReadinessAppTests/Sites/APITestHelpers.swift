import Foundation
import Testing
import ReadinessServiceTestSupport

/// Small conveniences for the sites, agents, tokens and policies API tests.
enum Body {
    /// JSON bytes of a literal (`[String: Any]`, arrays, NSNull for null).
    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
    }
}

extension APIClient.Response {
    /// The pointers of a problem document's `errors`, in order; throws when the body is no
    /// problem document, so the test fails on the answer's shape too.
    func problemPointers() throws -> [String] { try decoded(ProblemBody.self).pointers }

    /// The items of a page of `Item`s; throws when the body is no such page.
    func pageItems<Item: Decodable & Sendable>(_ type: Item.Type) throws -> [Item] { try decoded(Page<Item>.self).items }

    /// The target of `Link: <…>; rel="next"`, if any.
    var nextLink: String? {
        guard let link = header("Link"), link.contains("rel=\"next\""),
              let start = link.firstIndex(of: "<"), let end = link.firstIndex(of: ">")
        else { return nil }
        return String(link[link.index(after: start)..<end])
    }
}

extension APIClient {
    func post(_ path: String, token: String?, json object: Any, headers: [String: String] = [:]) async throws -> Response {
        try await send("POST", path, token: token, headers: headers, body: Body.json(object))
    }

    func patch(_ path: String, token: String?, json object: Any) async throws -> Response {
        try await send("PATCH", path, token: token, headers: ["Content-Type": "application/merge-patch+json"], body: Body.json(object))
    }

    func put(_ path: String, token: String?, json object: Any) async throws -> Response {
        try await send("PUT", path, token: token, body: Body.json(object))
    }

    func delete(_ path: String, token: String?) async throws -> Response {
        try await send("DELETE", path, token: token)
    }
}

extension UUID {
    var lower: String { uuidString.lowercased() }
}
