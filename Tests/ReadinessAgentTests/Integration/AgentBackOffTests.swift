import JSON
import Foundation
import ReadinessAgent
import ReadinessServiceTestSupport
import Testing

/// The agent honours a 429 (or 503) with Retry-After: it keeps its results in the spool, notes
/// the time in the spool's `.retry-after`, exits 75 (EX_TEMPFAIL), and sends nothing before
/// that time on later runs.
@Suite struct AgentBackOffTests {
    static func rateLimitedCount(_ live: LiveService, admin: String) async throws -> Int {
        let text = try await live.client.get("/metrics", token: admin).text
        return text.split(separator: "\n").first { $0.hasPrefix(#"readiness_rate_limited_requests_total{budget="results""#) }
            .flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
    }

    @Test func aRateLimitedRunKeepsItsResultAndTheNextRunSendsNothingBeforeRetryAfter() async throws {
        // One result an hour, an hour of backlog: the first run's result spends the budget.
        try await LiveService.with(configure: {
            $0.limits.uploadsPerInterval = 1
            $0.limits.uploadBacklog = 3600
        }) { live in
            let site = try await AgentTestSite.make(live)
            let spool = temporarySpool()
            defer { try? FileManager.default.removeItem(at: spool.deletingLastPathComponent()) }
            let flags = site.flags(spool: spool)
            let first = CapturedConsole()
            #expect(await AgentCommand.main(flags: flags, environment: [:], console: first.console) == 0, "\(first.stderr)")

            let limited = CapturedConsole()
            let before = Date()
            #expect(await AgentCommand.main(flags: flags, environment: [:], console: limited.console) == 75)
            let reason = try #require(limited.reason, "\(limited.stderr)")
            #expect(reason.contains("the service asked to wait until"), "\(reason)")
            #expect(reason.contains("HTTP 429"), "\(reason)")
            #expect(reason.contains("result spooled as \(spool.path)/"), "\(reason)")
            #expect(SpoolProbe.files(in: spool).count == 1)
            let marker = spool.appendingPathComponent(".retry-after")
            let noted = try #require(RFC3339Timestamp.parse(
                String(decoding: try Data(contentsOf: marker), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
            // The service's Retry-After: an hour's budget is one result, so about an hour.
            #expect(noted > before.addingTimeInterval(3500) && noted < Date().addingTimeInterval(3700), "\(noted)")
            #expect(try await Self.rateLimitedCount(live, admin: site.admin) == 1)

            // Before that time a run probes and spools, but sends nothing: no upload, no plan request.
            let waiting = CapturedConsole()
            #expect(await AgentCommand.main(flags: flags, environment: [:], console: waiting.console) == 75)
            #expect(waiting.reason?.contains("the service asked to wait until") == true, "\(waiting.stderr)")
            #expect(SpoolProbe.files(in: spool).count == 2)
            #expect(try await Self.rateLimitedCount(live, admin: site.admin) == 1, "the waiting run sent an upload")

            // Once the time has passed, the spool goes up again (and meets the spent budget again).
            try Data((RFC3339Timestamp.format(Date().addingTimeInterval(-1)) + "\n").utf8).write(to: marker)
            let later = CapturedConsole()
            #expect(await AgentCommand.main(flags: flags, environment: [:], console: later.console) == 75)
            #expect(try await Self.rateLimitedCount(live, admin: site.admin) == 2)
            #expect(SpoolProbe.files(in: spool).count == 3, "the spool is kept")
        }
    }
}
