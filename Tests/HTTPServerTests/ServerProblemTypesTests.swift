import Testing
@testable import HTTPServer

/// The problem types a responder is built with type every fault the HTTP layer raises itself,
/// and any ``HTTPError`` thrown without a type; an error with a type keeps it.
@Suite struct ServerProblemTypesTests {
    static let types = ServerProblemTypes([
        .notFound: ProblemType(uri: "/problems/not-found", title: "Not found"),
        .methodNotAllowed: ProblemType(uri: "/problems/method-not-allowed", title: "Method not allowed"),
        .contentTooLarge: ProblemType(uri: "/problems/content-too-large", title: "Content too large"),
        .internalServerError: ProblemType(uri: "/problems/internal-error", title: "Internal error"),
        .notImplemented: ProblemType(uri: "/problems/not-implemented", title: "Not implemented"),
    ])

    static func responder() -> Responder {
        struct Secret: Error {}
        var router = Router()
        router.get("/thing") { _, _ in HTTPResponse.text("thing") }
        router.get("/untyped") { _, _ in throw HTTPError(status: .notFound, detail: "no thing 42") }
        router.get("/typed") { _, _ in
            throw HTTPError(status: .notFound, detail: "gone", type: "/problems/site-archived", title: "Site archived")
        }
        router.get("/secret") { _, _ in throw Secret() }
        return router.buildResponder(problemTypes: types)
    }

    static func body(_ target: String, _ method: HTTPMethod = .get) async -> String {
        String(decoding: await responder().respond(to: HTTPRequest(method: method, target: target)).body, as: UTF8.self)
    }

    @Test func theRoutersAnswersTakeTheSuppliedTypes() async {
        #expect(await Self.body("/nowhere")
            == #"{"instance":"/nowhere","status":404,"title":"Not found","type":"/problems/not-found"}"#)
        #expect(await Self.body("/thing", .post)
            == #"{"detail":"POST is not allowed on this resource.","instance":"/thing","status":405,"title":"Method not allowed","type":"/problems/method-not-allowed"}"#)
    }

    @Test func anErrorWithoutATypeTakesItsStatussTypeAndOneWithATypeKeepsIt() async {
        #expect(await Self.body("/untyped")
            == #"{"detail":"no thing 42","instance":"/untyped","status":404,"title":"Not found","type":"/problems/not-found"}"#)
        #expect(await Self.body("/typed")
            == #"{"detail":"gone","instance":"/typed","status":404,"title":"Site archived","type":"/problems/site-archived"}"#)
        #expect(await Self.body("/secret")
            == #"{"instance":"/secret","status":500,"title":"Internal error","type":"/problems/internal-error"}"#)
    }

    @Test func aStatusWithoutAnEntryIsAboutBlank() async {
        var router = Router()
        router.get("/teapot") { _, _ in throw HTTPError(status: .conflict) }
        let response = await router.buildResponder(problemTypes: Self.types).respond(to: HTTPRequest(method: .get, target: "/teapot"))
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"instance":"/teapot","status":409,"title":"Conflict","type":"about:blank"}"#)
    }

    @Test func refusalsBeforeRoutingTakeTheSuppliedTypes() async throws {
        let live = try LiveServer.start(problemTypes: Self.types)
        let tooLarge = try await live.client()
        tooLarge.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
        let refused = try await tooLarge.readResponse()
        #expect(refused.status == 413)
        #expect(refused.text == #"{"detail":"The request body is larger than 4096 bytes.","status":413,"title":"Content too large","type":"/problems/content-too-large"}"#)
        let unknown = try await live.client()
        unknown.send("QUERY /thing HTTP/1.1\r\nHost: x\r\n\r\n")
        let unimplemented = try await unknown.readResponse()
        #expect(unimplemented.status == 501)
        #expect(unimplemented.text.contains(#""title":"Not implemented","type":"/problems/not-implemented""#))
        await live.stop()
    }
}
