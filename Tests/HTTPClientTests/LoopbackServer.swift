import HTTPServer
import Logging

/// Our own HTTP server on 127.0.0.1 port 0: the far end the client is tested against.
struct LoopbackServer {
    let server: HTTPServer
    let port: Int

    static func start(_ configure: (inout Router) -> Void) throws -> LoopbackServer {
        var router = Router()
        configure(&router)
        var logger = Logger(label: "http-client-tests")
        logger.logLevel = .critical
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoops: 1),
            responder: router.buildResponder(middleware: []), logger: logger)
        return LoopbackServer(server: server, port: try server.start())
    }

    func stop() async {
        await server.shutdown(deadline: .seconds(1))
    }
}
