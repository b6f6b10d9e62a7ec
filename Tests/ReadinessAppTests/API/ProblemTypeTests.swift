import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Problem documents (RFC 9457): one type and one title per fault whichever layer answers it
/// (the HTTP layer before any route, or a handler), and a page behind every type.
@Suite struct ProblemTypeTests {
    /// Type and title of a problem document as answered.
    static func kind(_ problem: ProblemBody) -> String { "\(problem.type) \"\(problem.title)\"" }

    /// The problem document of an answer; throws when the body is none.
    static func problem(_ response: APIClient.Response) throws -> ProblemBody { try response.decoded(ProblemBody.self) }

    /// The problem document of a reply read off the socket; throws when the body is none.
    static func problem(_ reply: RawHTTPExchange.Reply) throws -> ProblemBody {
        try APIBodyDecoder.shared.decode(ProblemBody.self, from: Data(reply.rest))
    }

    static func kind(_ problem: APIProblem) -> String { "\(problem.uri) \"\(problem.title)\"" }

    @Test func everyTypeIsARelativeReferenceToAPageServedWithoutAToken() async throws {
        try await LiveService.with { live in
            for problem in ProblemTypes.all {
                #expect(problem.uri == "/problems/\(problem.name)")
                let page = try await live.client.get(problem.uri)
                #expect(page.status == 200, "\(problem.uri)")
                #expect(page.header("Content-Type") == "text/html; charset=utf-8")
                let text = String(decoding: page.body, as: UTF8.self)
                #expect(text.contains("<title>\(problem.title)</title>"), "\(problem.uri)")
                #expect(text.contains("status \(problem.status.code) "), "\(problem.uri)")
            }
        }
    }

    @Test func anUnknownTypeIsANotFoundProblem() async throws {
        try await LiveService.with { live in
            let response = try await live.client.get("/problems/no-such-problem")
            #expect(response.status == 404)
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(Self.kind(try Self.problem(response)) == Self.kind(ProblemTypes.notFound))
        }
    }

    @Test func namesTitlesAndServerStatusesAreEachUsedOnce() {
        #expect(Set(ProblemTypes.all.map(\.name)).count == ProblemTypes.all.count)
        #expect(Set(ProblemTypes.all.map(\.title)).count == ProblemTypes.all.count)
        for status in [400, 404, 405, 408, 413, 414, 417, 431, 500, 501, 505] {
            let owned = ProblemTypes.all.filter { $0.status.code == status }
            #expect(owned.count == 1, "status \(status) must have one type for the HTTP layer to use")
            #expect(ProblemTypes.server[owned[0].status] == owned.first?.type)
        }
    }

    @Test func aMissingPathAndAMissingResourceAreTheSameProblem() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            let unrouted = try await live.client.get("/v1/nothing-here", token: read)
            let unknownSite = try await live.client.get("/v1/sites/\(UUID().uuidString.lowercased())", token: read)
            #expect(unrouted.status == 404 && unknownSite.status == 404)
            #expect(Self.kind(try Self.problem(unrouted)) == Self.kind(ProblemTypes.notFound))
            #expect(Self.kind(try Self.problem(unknownSite)) == Self.kind(ProblemTypes.notFound))
        }
    }

    @Test func aBodyOverTheLimitIsTheSameProblemBeforeAndAfterInflating() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            // The HTTP layer, on the head alone: more than the operation's 1 MiB.
            let port = live.client.baseURL.port ?? 0
            let refused = try await RawHTTPExchange.send(
                "POST /v1/sites HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(admin)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(2 << 20)\r\n\r\n",
                port: port)
            #expect(refused.statusCode == 413)
            #expect(Self.kind(try Self.problem(refused)) == Self.kind(ProblemTypes.contentTooLarge))
            // The application, once a small gzip body inflates past the upload limit.
            let bomb = try Gzip.compress(Data(repeating: 0x20, count: UploadBody.limit + 1))
            let inflated = try await live.client.send(
                "POST", "/v1/results", token: agent.token, headers: ["Content-Encoding": "gzip"], body: bomb)
            #expect(inflated.status == 413)
            #expect(Self.kind(try Self.problem(inflated)) == Self.kind(ProblemTypes.contentTooLarge))
        }
    }

    @Test func theHTTPLayersOwnRefusalsHaveTheApplicationsTypes() async throws {
        try await LiveService.with { live in
            let port = live.client.baseURL.port ?? 0
            let read = try await live.fixtures.token(.read)
            // 400 from the parser and 400 from a handler.
            let malformed = try await RawHTTPExchange.send("GET /healthz HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n", port: port)
            #expect(malformed.statusCode == 400)
            #expect(Self.kind(try Self.problem(malformed)) == Self.kind(ProblemTypes.invalidRequest))
            let badQuery = try await live.client.get("/v1/sites?limit=0", token: read)
            #expect(badQuery.status == 400)
            #expect(Self.kind(try Self.problem(badQuery)) == Self.kind(ProblemTypes.invalidRequest))
            // 405 from the router, 501 from the parser.
            let wrongMethod = try await live.client.send("PUT", "/healthz")
            #expect(wrongMethod.status == 405)
            #expect(Self.kind(try Self.problem(wrongMethod)) == Self.kind(ProblemTypes.methodNotAllowed))
            let unknownMethod = try await RawHTTPExchange.send(
                "QUERY /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", port: port)
            #expect(unknownMethod.statusCode == 501)
            #expect(Self.kind(try Self.problem(unknownMethod)) == Self.kind(ProblemTypes.notImplemented))
        }
    }
}
