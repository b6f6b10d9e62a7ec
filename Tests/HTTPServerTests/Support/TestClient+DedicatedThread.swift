import ReadinessTestSupport

/// The blocking calls of `TestClient`, for async tests: each blocks a dedicated thread, never
/// one of the cooperative pool's two, which the server's async handlers need to answer.
extension TestClient {
    static func connected(port: Int, timeoutSeconds: Int = 10) async throws -> TestClient {
        try await onDedicatedThread { try TestClient(port: port, timeoutSeconds: timeoutSeconds) }
    }

    func readResponse(head: Bool = false) async throws -> Response {
        try await onDedicatedThread { try self.readResponse(head: head) }
    }

    func isClosedByPeer() async -> Bool {
        await onDedicatedThread { self.isClosedByPeer() }
    }
}

extension LiveServer {
    func client() async throws -> TestClient {
        try await TestClient.connected(port: port)
    }
}
