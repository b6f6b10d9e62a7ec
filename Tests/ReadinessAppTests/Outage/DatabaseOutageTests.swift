import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport
import ReadinessTestSupport

/// PostgreSQL stopped under a running service: every request that needs it is answered 503 with
/// `Retry-After` and the one problem type `database-unavailable`, whichever layer finds out (the
/// group-commit writer, an assessment read, a token lookup once the token cache has expired),
/// and never 500. Issue 14 measured 500s without `Retry-After` once the 5 s token cache expired.
@Suite struct DatabaseOutageTests {
    /// "Now" for the service, moved by the test: the token cache expires without a 5 s wait.
    final class MovableClock: @unchecked Sendable {  // `offset` behind `lock`
        private let lock = NSLock()
        private var offset: TimeInterval = 0

        func advance(_ seconds: TimeInterval) { lock.withLock { offset += seconds } }
        var now: Date { Date().addingTimeInterval(lock.withLock { offset }) }
    }

    static func expectUnavailable(_ response: APIClient.Response, _ what: Comment) {
        #expect(response.status == 503, what)
        #expect(response.header("Retry-After") == String(DatabaseErrors.retryAfterSeconds), what)
        #expect(response.header("Content-Type") == "application/problem+json", what)
        #expect(response.problem?.type == "/problems/database-unavailable", what)
    }

    @Test func everyLayerAnswers503WithRetryAfterWhileTheDatabaseIsDown() async throws {
        try await PrivateCluster.with { cluster in
            let clock = MovableClock()
            let configuration = LiveService.configuration(databaseURL: cluster.url)
            let service = try await ReadinessService.make(configuration: configuration, logger: LiveService.logger, clock: { clock.now })
            let port = try service.start()
            let pool = PostgresPool(configuration: try TestDatabase.configuration(url: cluster.url, maxConnections: 1), logger: TestDatabase.logger)
            let outcome: Result<Void, any Error>
            do {
                try await Self.run(cluster, client: APIClient(port: port), fixtures: Fixtures(database: pool), clock: clock)
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            await pool.shutdown()
            await service.shutdown()
            try outcome.get()
        }
    }

    private static func run(_ cluster: PrivateCluster, client: APIClient, fixtures: Fixtures, clock: MovableClock) async throws {
        let site = try await fixtures.site()
        let otherSite = try await fixtures.site(name: "Branch")
        let agent = try await fixtures.agent(site: site)
        let reader = try await fixtures.token(.read)
        let admin = try await fixtures.token(.admin)
        // Caches warm: the agent's and the reader's tokens, the agent's site.
        #expect(try await client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single()).status == 201)
        #expect(try await client.get("/v1/sites/\(site.lower)/assessment", token: reader).status == 200)

        try await cluster.stop()

        // Tokens and site still cached: the writer and the assessment read find the outage.
        expectUnavailable(
            try await client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single()),
            "an upload whose token and site are cached")
        expectUnavailable(
            try await client.get("/v1/sites/\(otherSite.lower)/assessment", token: reader),
            "an assessment not cached yet")
        expectUnavailable(try await client.get("/v1/sites/\(site.lower)/remediation", token: reader), "a change request")

        // Past the token cache's lifetime every request needs a token lookup first.
        clock.advance(configuration.authCacheTTL + 1)
        expectUnavailable(
            try await client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single()),
            "an upload whose cached token expired")
        expectUnavailable(try await client.get("/v1/sites/\(site.lower)/assessment", token: reader), "an assessment read")
        expectUnavailable(try await client.get("/v1/sites", token: admin), "a token never looked up")
        expectUnavailable(try await client.get("/v1/agent/plan", token: agent.token), "an agent's plan")

        // Back on the same port: the pool reconnects and the same upload is stored.
        try await cluster.startAgain()
        var status = 0
        for _ in 0..<50 where status != 201 {
            status = try await client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single()).status
            if status != 201 { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(status == 201, "uploads are stored again once PostgreSQL is back")
    }

    private static var configuration: AppConfiguration { LiveService.configuration(databaseURL: nil) }
}
