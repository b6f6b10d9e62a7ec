import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport
import ReadinessTestSupport

/// The "kill -9 of the service between commit and delivery": the real `readiness`
/// executable (not an in-process service, whose death would take the test with it) is killed
/// with SIGKILL while its first attempt of an event is in flight, then started again on the
/// same database; the event arrives once with a 2xx. Nothing is simulated: the upload commits
/// through the real ingest path, the trigger writes the outbox row, the worker claims it.
@Suite(.serialized) struct WebhookCrashRecoveryTests {
    @Test func anEventInFlightWhenTheServiceIsKilledIsDeliveredOnceAfterRestart() async throws {
        let binary = SignalShutdownTests.executable.path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the executable first: swift build --build-tests")
        // The first request is held past the kill (the sender is gone before any answer); every
        // later one is answered 200 at once.
        let receiver = try WebhookReceiver(script: [.init(status: 503, hold: .seconds(30)), .init(status: 200)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await TestDatabase.with { pool, postgres in
            let process = ServiceProcess(binary: binary, databaseURL: postgres.url)
            defer { process.killIfRunning() }
            let client = try await process.start()
            // SIGKILL as the first attempt arrives, long before its 5 s timeout could write an
            // outcome (a poll for the arrival, on a loaded machine, once took longer than 2 s).
            receiver.onNextRequest { process.killIfRunning() }
            let fixtures = Fixtures(database: pool)
            let site = try await fixtures.site(name: "Killed mid-delivery")
            let agent = try await fixtures.agent(site: site)
            try await WebhookFixtures.webhook(pool, url: receiver.url, secret: try WebhookFixtures.secret())

            // The commit: a site's first result changes its verdict, and the trigger enqueues
            // the event in the upload's transaction, so it exists once the 201 is sent.
            let body = ReadFixtures.goodJSON(at: Date().addingTimeInterval(-60))
            #expect(try await client.send("POST", "/v1/results", token: agent.token, body: Data(body.utf8)).status == 201)
            let events = try await pool.query("SELECT id, message_id FROM webhook_events WHERE site_id = \(site) ORDER BY id")
            try #require(!events.isEmpty, "the upload enqueued its events")
            let first = try events[0].decode(String.self, column: "message_id")

            // Killed while the receiver sits on the first attempt: delivery has not succeeded.
            try await WebhookFixtures.waitUntil("the first attempt reaches the receiver") { !receiver.requests.isEmpty }
            try await process.kill()  // already dead: reaps it
            #expect(receiver.requests.map(\.messageID) == [first])
            let claimed = try await pool.query("SELECT state, attempts FROM webhook_events WHERE message_id = \(first)")[0]
            #expect(try claimed.decode(String.self, column: "state") == "pending")
            #expect(try claimed.decode(Int.self, column: "attempts") == 1, "claimed by the killed process")
            #expect(try await Self.attemptRows(pool) == 0, "the attempt's outcome was never written")

            // Restarted on the same database: the claim's lease (4 x the 5 s attempt timeout) runs
            // out and the restarted worker delivers.
            _ = try await process.start()
            try await WebhookFixtures.waitUntil("every event of the upload is delivered", limit: .seconds(60)) {
                try await WebhookFixtures.states(pool).values.allSatisfy { $0 == "delivered" }
            }
            let requests = receiver.requests
            let messageIDs = try events.map { try $0.decode(String.self, column: "message_id") }
            for id in messageIDs {
                #expect(requests.filter { $0.messageID == id && (200..<300).contains($0.answered) }.count == 1, "\(id): one 2xx")
            }
            // At least once overall: the killed attempt reached the receiver and was made again.
            #expect(requests.filter { $0.messageID == first }.count == 2)
            // One recorded attempt per event, each the successful one: the killed one left none.
            #expect(try await Self.attemptRows(pool) == messageIDs.count)
            try await process.stop()
        }
    }

    private static func attemptRows(_ database: PostgresPool) async throws -> Int {
        try await database.query("SELECT count(*)::int AS n FROM webhook_attempts")[0].decode(Int.self, column: "n")
    }
}

/// `readiness serve` as a child process on a fresh loopback port, started as users start it
/// (environment only), with a log file kept for a failing test's reader.
final class ServiceProcess: @unchecked Sendable {  // test-only; `lock` guards `running`
    let binary: String
    let databaseURL: String
    private let work: URL
    private let lock = NSLock()
    private var running: (pid: pid_t, exit: SignalShutdownTests.ExitStatus)?

    init(binary: String, databaseURL: String) {
        self.binary = binary
        self.databaseURL = databaseURL
        work = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString.prefix(8))")
    }

    /// Starts the executable and waits for `/readyz`; a client for it.
    func start() async throws -> APIClient {
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let pidFile = work.appendingPathComponent("pid-\(UUID().uuidString.prefix(8))")
        let port = try SignalShutdownTests.freePort()
        let environment = [
            "DATABASE_URL": databaseURL, "READINESS_PORT": "\(port)", "READINESS_HOST": "127.0.0.1",
            "READINESS_EVENT_LOOPS": "1", "READINESS_DB_MAX_CONNECTIONS": "3", "READINESS_REFLECTOR_LISTEN": "off",
            "READINESS_MIGRATIONS_DIR": LiveService.migrationsDirectory.path,
            "READINESS_LOG_FILE": work.appendingPathComponent("service.log").path,
            "READINESS_WEBHOOK_ALLOW_PRIVATE": "true", "READINESS_WEBHOOK_TIMEOUT_S": "5",
        ]
        let assignments = environment.map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        // `exec` keeps the shell's pid for the server (see SignalShutdownTests).
        let script = "echo $$ > '\(pidFile.path)'; exec env \(assignments) '\(binary)' serve </dev/null >/dev/null 2>&1"
        let exit = SignalShutdownTests.ExitStatus()
        Thread { exit.set(system(script)) }.start()
        let pid = pid_t(try #require(Int32(try await SignalShutdownTests.waitForFile(pidFile))))
        lock.withLock { running = (pid, exit) }
        let client = APIClient(port: port)
        for _ in 0..<300 {
            if (try? await client.get("/readyz").status) == 200 { return client }
            if exit.current != nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw WebhookTestFailure("readiness serve did not become ready; its log: \(log)")
    }

    /// SIGKILL, and waits for the process to be gone.
    func kill() async throws { try await signal(SIGKILL) }

    /// SIGTERM: the ordinary stop at the end of a test.
    func stop() async throws { try await signal(SIGTERM) }

    func killIfRunning() {
        if let pid = lock.withLock({ running?.pid }) { Glibc.kill(pid, SIGKILL) }
    }

    private func signal(_ signal: Int32) async throws {
        guard let (pid, exit) = lock.withLock({ running }) else { return }
        Glibc.kill(pid, signal)
        guard try await exit.wait(timeout: 15) != nil else { throw WebhookTestFailure("readiness serve outlived signal \(signal)") }
        lock.withLock { running = nil }
    }

    private var log: String {
        (try? String(contentsOf: work.appendingPathComponent("service.log"), encoding: .utf8)) ?? "(none)"
    }

    deinit { try? FileManager.default.removeItem(at: work) }
}
