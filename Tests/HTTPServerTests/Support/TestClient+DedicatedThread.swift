import Sockets

/// The blocking calls of `TestClient`, for async tests: each blocks a dedicated thread (the
/// `Sockets` module's `DedicatedThread`, as the agent's probes do), never
/// one of the cooperative pool's two, which the server's async handlers need to answer.
extension TestClient {
    static func connected(port: Int, timeoutSeconds: Int = 10) async throws -> TestClient {
        try await DedicatedThread.run { try TestClient(port: port, timeoutSeconds: timeoutSeconds) }
    }

    func readResponse(head: Bool = false) async throws -> Response {
        try await DedicatedThread.run { try self.readResponse(head: head) }
    }

    func isClosedByPeer() async -> Bool {
        // The body cannot throw: `try?` only satisfies `run`'s signature.
        (try? await DedicatedThread.run { self.isClosedByPeer() }) ?? false
    }
}

extension LiveServer {
    func client() async throws -> TestClient {
        try await TestClient.connected(port: port)
    }
}
