import Foundation
import Postgres
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Past the request deadline the client gets 503 deadline-exceeded with Retry-After; an upload
/// still queued for its commit is dropped, one whose commit was under way may land, and
/// sending either again is safe (idempotent on run_id). The deadline passes when the test
/// fires the service's clock.
@Suite struct RequestDeadlineTests {
    static func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<1000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting until \(what)")
    }

    static func stored(_ live: LiveService, _ runID: UUID) async throws -> Bool {
        try await !live.database.query("SELECT 1 FROM results WHERE run_id = \(runID)").isEmpty
    }

    /// A fleet preview takes seconds by nature: it runs under its own, longer deadline; an
    /// ordinary request under the configured one.
    @Test func aFleetPreviewRunsUnderItsOwnLongerDeadline() async throws {
        let clock = ManualDeadlineClock()
        try await LiveService.with(configure: { $0.deadlineClock = clock }) { live in
            let admin = try await live.fixtures.token(.admin)
            #expect(try await live.client.get("/v1/sites", token: admin).status == 200)
            let preview = try await live.client.send(
                "POST", "/v1/policies/sococo/preview", token: admin, body: Data(#"{"version":1}"#.utf8))
            #expect(preview.status == 200)
            #expect(clock.delays.suffix(2) == [live.configuration.limits.requestDeadline, PreviewRoutes.deadline])
            #expect(PreviewRoutes.deadline > RequestLimits().requestDeadline)
        }
    }

    @Test func uploadsPastTheirDeadlineGet503AndAreSafeToSendAgain() async throws {
        let clock = ManualDeadlineClock()
        try await LiveService.with(configure: { $0.deadlineClock = clock }) { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let (first, second) = (UUID(), UUID())
            // The same bytes each time: a retry sends the document it sent before.
            let (firstBody, secondBody) = (ResultSamples.single(first), ResultSamples.single(second))
            // The site row locked elsewhere: the first upload's group waits for it inside its
            // transaction, and the second upload queues behind that group.
            let holder = HeldTransaction(live.database, ["SELECT id FROM sites WHERE id = \(site) FOR UPDATE"])
            await holder.untilHeld()
            let firstAnswer = Task {
                try await live.client.send("POST", "/v1/results", token: agent.token, body: firstBody)
            }
            // This test's database only: in a parallel run another test's service may be
            // waiting on a lock of its own, and this upload would be sent too early.
            try await Self.waitUntil("the first upload's group waits for the site lock") {
                try await !live.database.query("""
                    SELECT 1 FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = 'readiness' AND wait_event_type = 'Lock'
                    """).isEmpty
            }
            let secondAnswer = Task {
                try await live.client.send("POST", "/v1/results", token: agent.token, body: secondBody)
            }
            try await Self.waitUntil("the second upload is queued") {
                try await RateLimitTests.metric(live, "readiness_ingest_queued_uploads") == 1
            }

            clock.fire()
            for answer in [try await firstAnswer.value, try await secondAnswer.value] {
                #expect(answer.status == 503)
                #expect(try answer.decoded(ProblemBody.self).type == "/problems/deadline-exceeded")
                #expect(answer.header("Retry-After") == "2")
            }

            // The first upload's commit was under way: it lands once the lock is gone. The
            // second never reached a transaction: it is dropped, and counted.
            holder.release()
            try await holder.done.value
            try await Self.waitUntil("the first upload is stored") { try await Self.stored(live, first) }
            try await Self.waitUntil("the second upload is abandoned") {
                try await RateLimitTests.metric(live, "readiness_ingest_abandoned_uploads_total") == 1
            }
            #expect(try await !Self.stored(live, second))

            // The client cannot know which of the two landed: sending both again is safe.
            let replay = try await live.client.send("POST", "/v1/results", token: agent.token, body: firstBody)
            #expect(replay.status == 200)
            #expect(try replay.decoded(UploadOutcomeBody.self).status == "duplicate")
            let retry = try await live.client.send("POST", "/v1/results", token: agent.token, body: secondBody)
            #expect(retry.status == 201)
        }
    }

    @Test func serviceConnectionsCarryTheDeadlineAsStatementAndIdleInTransactionTimeouts() throws {
        var configuration = AppConfiguration()
        configuration.limits.requestDeadline = .seconds(7)
        let postgres = try configuration.postgresConfiguration(url: "postgresql://localhost/readiness")
        #expect(postgres.statementTimeout == .seconds(7))
        #expect(postgres.idleInTransactionTimeout == .seconds(7))
    }

    @Test func limitsAreReadFromTheEnvironmentAndMalformedValuesNamed() throws {
        let configuration = try AppConfiguration(environment: [
            "READINESS_REQUEST_DEADLINE_S": "4", "READINESS_RATE_UPLOADS_PER_INTERVAL": "6",
            "READINESS_RATE_UPLOAD_BACKLOG_S": "7200", "READINESS_RATE_REQUESTS_PER_S": "5", "READINESS_RATE_REQUEST_BURST": "50",
        ])
        #expect(configuration.limits.requestDeadline == .seconds(4))
        #expect(configuration.limits.resultBudget(intervalS: 3600) == RateBudget(name: "results", perSecond: 6.0 / 3600, capacity: 12))
        #expect(configuration.limits.requestBudget == RateBudget(name: "requests", perSecond: 5, capacity: 50))
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["READINESS_REQUEST_DEADLINE_S": "0"]) }
        #expect(try AppConfiguration(environment: ["READINESS_RATE_REQUESTS_PER_S": "0"]).limits.requestBudget == nil)
    }
}
