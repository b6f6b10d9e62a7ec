import Foundation
import HTTPServer
import JSON
import Logging
import ReadinessServiceTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A webhook receiver on a loopback port: our own HTTP server answering `POST /hook` from a
/// script of statuses (the last one repeats), recording every request it got. It can start
/// late on a port chosen before, so a subscription can point at a receiver that is down.
final class WebhookReceiver: @unchecked Sendable {  // test-only; `lock` guards the state
    struct Received: Sendable {
        let headers: [String: String]
        let body: [UInt8]
        let answered: Int
        /// The body read as `T`, as the tests read the API's answers (`APIBodyDecoder`).
        func decoded<T: Decodable>(_ type: T.Type) throws -> T {
            try APIBodyDecoder.shared.decode(T.self, from: Data(body))
        }

        /// The body as a JSON tree, for a test that must tell an absent member from a null one.
        func tree() throws -> JSONValue { try JSONParser.parse(body) }
        var messageID: String { headers["webhook-id"] ?? "" }
    }

    struct Answer: Sendable {
        let status: Int
        var headers: [String: String] = [:]
        /// How long the receiver sits on the request before answering (a slow receiver, or
        /// one whose sender is killed mid-request); the request is recorded on arrival.
        var hold: Duration? = nil
        /// Held until the test calls ``openGate()`` (answered at once after it): a test that
        /// counts the requests in flight at once fills them without racing a timer.
        var heldUntilOpened = false
    }

    let port: Int
    private let lock = NSLock()
    private var script: [Answer]
    private var received: [Received] = []
    private var server: HTTPServer?
    private var nextArrival: (@Sendable () -> Void)?
    private var inFlight = 0
    private var mostInFlight = 0
    private var gateOpen = false
    private var parked: [@Sendable () -> Void] = []

    init(script: [Answer]) throws {
        self.script = script
        port = try Self.unusedPort()
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    var requests: [Received] { lock.withLock { received } }

    /// The most requests that had arrived and were not yet answered at any one moment.
    var mostRequestsInFlight: Int { lock.withLock { mostInFlight } }

    /// Answers every request held by ``Answer/heldUntilOpened`` and, from now on, answers such
    /// requests at once.
    func openGate() {
        let release = lock.withLock { () -> [@Sendable () -> Void] in
            gateOpen = true
            defer { parked = [] }
            return parked
        }
        for answer in release { answer() }
    }

    /// Runs `action` once, when the next request arrives (before it is answered): a test that
    /// must act while a sender waits acts at once, rather than after a poll that a loaded
    /// machine can stretch past the sender's timeout.
    func onNextRequest(_ action: @escaping @Sendable () -> Void) {
        lock.withLock { nextArrival = action }
    }

    func start() throws {
        var router = Router()
        // Deferred: answered from the loop thread (or, when held, a thread of its own), never
        // from the cooperative pool, which the parallel suite keeps busy: a sender must not
        // time out waiting for an answer the receiver has already decided.
        router.on(.post, "/hook", bodyLimit: 1 << 20, deferred: { [self] request, _, sink in
            let fields = Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
            let (answer, arrival) = lock.withLock { () -> (Answer, (@Sendable () -> Void)?) in
                let next = script.count > 1 ? script.removeFirst() : script[0]
                received.append(Received(headers: fields, body: request.body, answered: next.status))
                inFlight += 1
                mostInFlight = max(mostInFlight, inFlight)
                defer { nextArrival = nil }
                return (next, nextArrival)
            }
            arrival?()
            let response = HTTPResponse(status: HTTPStatus(answer.status), headers: HTTPHeaders(answer.headers.map { ($0.key, $0.value) }))
            // Counted as answered just before the answer goes: a sender's next request can
            // only arrive after it read this one's answer.
            let respond: @Sendable () -> Void = { [self] in
                lock.withLock { inFlight -= 1 }
                sink.respond(response)
            }
            if answer.heldUntilOpened {
                let parkedNow = lock.withLock { () -> Bool in
                    if !gateOpen { parked.append(respond) }
                    return !gateOpen
                }
                if parkedNow { return }
            }
            guard let hold = answer.hold else { return respond() }
            Thread {
                Thread.sleep(forTimeInterval: Double(hold.components.seconds) + Double(hold.components.attoseconds) / 1e18)
                respond()
            }.start()
        })
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port, eventLoops: 1),
            responder: router.buildResponder(middleware: []), logger: logger)
        _ = try server.start()
        lock.withLock { self.server = server }
    }

    func stop() async {
        let server = lock.withLock { self.server }
        await server?.shutdown(deadline: .seconds(1))
    }

    /// A loopback port nothing listens on (bound, read, released).
    private static func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw WebhookTestFailure("cannot bind a probe port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct WebhookTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
