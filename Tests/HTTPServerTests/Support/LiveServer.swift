import Logging
@testable import HTTPServer

/// A real server on an ephemeral port with short limits, for tests over sockets.
struct LiveServer {
    let server: HTTPServer
    let port: Int

    static func start(
        limits: HTTPLimits = .testing, loops: Int = 2, configure: (inout Router) -> Void = { _ in },
        onRefusal: (@Sendable (ServerRefusal) -> Void)? = nil, problemTypes: ServerProblemTypes = ServerProblemTypes()
    ) throws -> LiveServer {
        var router = Router()
        router.get("/healthz") { _, _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: Array("{\"status\":\"ok\"}".utf8))
        }
        router.get("/echo/{id}") { request, context in
            HTTPResponse.text("\(context.parameters["id"] ?? "")|\(request.query["q"] ?? "")")
        }
        router.post("/upload") { request, _ in HTTPResponse.text("got \(request.body.count)") }
        router.post("/big", bodyLimit: 4096) { request, _ in HTTPResponse.text("got \(request.body.count)") }
        router.get("/slow") { _, _ async throws -> HTTPResponse in
            try await Task.sleep(for: .milliseconds(300))
            return HTTPResponse.text("slow done")
        }
        configure(&router)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoops: loops, limits: limits)
        configuration.onRefusal = onRefusal
        let server = HTTPServer(
            configuration: configuration,
            responder: router.buildResponder(
                middleware: [RequestIDMiddleware(), AccessLogMiddleware(logger: logger)], problemTypes: problemTypes),
            logger: logger)
        return LiveServer(server: server, port: try server.start())
    }

    func client() throws -> TestClient {
        try TestClient(port: port)
    }

    func stop() async {
        await server.shutdown(deadline: .seconds(1))
    }
}

extension HTTPLimits {
    /// A small body limit, and read timeouts long enough that no test about something else
    /// meets them: the suite runs in parallel on two cores, where a loop thread or the test
    /// can wait a second or more for a core.
    static var testing: HTTPLimits {
        var limits = HTTPLimits()
        limits.headerReadTimeout = .seconds(10)
        limits.idleTimeout = .seconds(10)
        limits.bodyReadTimeout = .seconds(10)
        limits.lingerTimeout = .milliseconds(200)
        limits.maxBodySize = 1024
        return limits
    }

    /// `testing` with read timeouts short enough to wait for, for the tests of those timeouts.
    static var shortTimeouts: HTTPLimits {
        var limits = HTTPLimits.testing
        limits.headerReadTimeout = .milliseconds(200)
        limits.idleTimeout = .milliseconds(300)
        limits.bodyReadTimeout = .milliseconds(200)
        return limits
    }
}
