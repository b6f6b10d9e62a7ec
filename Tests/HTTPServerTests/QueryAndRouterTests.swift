import Testing
@testable import HTTPServer

@Suite struct QueryAndRouterTests {
    @Test(arguments: [
        ("a=1&b=two", "a", "1"),
        ("q=hello%20world", "q", "hello world"),
        ("q=a+b", "q", "a b"),
        ("name=%E2%9C%93", "name", "✓"),
        ("bad=%zz", "bad", "%zz"),
        ("flag", "flag", ""),
    ])
    func decodesQueryParameters(query: String, name: String, value: String) {
        #expect(QueryParameters(Substring(query))[name] == value)
    }

    func makeResponder() -> Responder {
        var router = Router()
        router.get("/healthz") { _, _ in HTTPResponse(status: .ok, body: Array("ok".utf8)) }
        router.get("/v1/sites/{id}") { _, context in HTTPResponse.text("site \(context.parameters["id"] ?? "")") }
        router.post("/v1/sites/{id}") { request, _ async throws -> HTTPResponse in
            HTTPResponse(status: .created, body: request.body)
        }
        router.get("/fail") { _, _ in
            throw HTTPError(status: .notFound, detail: "site 42 does not exist", extensions: ["errors": [["field": "id"]]])
        }
        return router.buildResponder(middleware: [RequestIDMiddleware()])
    }

    @Test func capturesPercentDecodedPathParameters() async {
        let response = await makeResponder().respond(to: HTTPRequest(method: .get, target: "/v1/sites/a%20b"))
        #expect(response.status == .ok)
        #expect(String(decoding: response.body, as: UTF8.self) == "site a b")
    }

    @Test func answersUnknownMethodOnKnownPathWith405AndAllow() async {
        let response = await makeResponder().respond(to: HTTPRequest(method: .delete, target: "/v1/sites/1"))
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD, POST")
        #expect(response.headers["content-type"] == "application/problem+json")
    }

    @Test func answersUnknownPathWithProblemDocument() async {
        let response = await makeResponder().respond(to: HTTPRequest(method: .get, target: "/nope"))
        #expect(response.status == .notFound)
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"instance":"/nope","status":404,"title":"Not Found","type":"about:blank"}"#)
    }

    @Test func rendersHTTPErrorWithDetailAndExtensions() async {
        let response = await makeResponder().respond(to: HTTPRequest(method: .get, target: "/fail"))
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"detail":"site 42 does not exist","errors":[{"field":"id"}],"instance":"/fail","status":404,"title":"Not Found","type":"about:blank"}"#)
    }

    @Test func hidesUnexpectedErrorText() async {
        struct Secret: Error {}
        var router = Router()
        router.get("/boom") { _, _ in throw Secret() }
        let response = await router.buildResponder().respond(to: HTTPRequest(method: .get, target: "/boom"))
        #expect(response.status == .internalServerError)
        #expect(!String(decoding: response.body, as: UTF8.self).contains("Secret"))
    }

    @Test func echoesOrGeneratesRequestID() async {
        let responder = makeResponder()
        let given = await responder.respond(to: HTTPRequest(method: .get, target: "/healthz", headers: ["x-request-id": "abc-1"]))
        #expect(given.headers["X-Request-Id"] == "abc-1")
        let generated = await responder.respond(to: HTTPRequest(method: .get, target: "/healthz"))
        #expect(generated.headers["X-Request-Id"]?.count == 32)
    }

    /// Writes the matched route's pattern into a header, "-" when none matched.
    struct RouteEcho: Middleware {
        func complete(_ request: HTTPRequest, context: RequestContext, response: inout HTTPResponse) {
            response.headers.add(name: "X-Route", value: context.route ?? "-")
        }
    }

    @Test(arguments: [
        (HTTPMethod.get, "/v1/sites/a%20b", "/v1/sites/{id}"),
        (.post, "/v1/sites/7", "/v1/sites/{id}"),
        (.head, "/v1/sites/7", "/v1/sites/{id}"),
        (.get, "/healthz", "/healthz"),
        (.get, "/nope", "-"),
        (.delete, "/v1/sites/7", "-"),
    ])
    func theContextNamesTheMatchedRoutesPatternNotThePath(method: HTTPMethod, target: String, route: String) async {
        var router = Router()
        router.get("/healthz") { _, _ in HTTPResponse(status: .ok) }
        router.get("/v1/sites/{id}") { _, _ in HTTPResponse(status: .ok) }
        router.post("/v1/sites/{id}") { _, _ async throws -> HTTPResponse in HTTPResponse(status: .created) }
        let response = await router.buildResponder(middleware: [RouteEcho()]).respond(to: HTTPRequest(method: method, target: target))
        #expect(response.headers["X-Route"] == route)
    }

    @Test func headersLookupIgnoresCaseAndKeepsRepeats() {
        var headers: HTTPHeaders = ["Set-Cookie": "a=1"]
        headers.add(name: "set-cookie", value: "b=2")
        #expect(headers["SET-COOKIE"] == "a=1")
        #expect(headers.values(for: "Set-Cookie") == ["a=1", "b=2"])
    }
}

@Suite struct RouteListingTests {
    @Test func listsRegisteredRoutesInRegistrationOrder() {
        var router = Router()
        router.get("/healthz") { _, _ in HTTPResponse() }
        router.get("/v1/sites/{id}") { _, _ in HTTPResponse() }
        router.post("/v1/sites/{id}") { _, _ in HTTPResponse() }
        router.get("/healthz") { _, _ in HTTPResponse(status: .noContent) }  // replaced, not listed twice
        let expected = ["GET /healthz", "GET /v1/sites/{id}", "POST /v1/sites/{id}"]
        #expect(router.routes.map { "\($0.method) \($0.path)" } == expected)
        #expect(router.buildResponder().routes.map { "\($0.method) \($0.path)" } == expected)
    }
}
