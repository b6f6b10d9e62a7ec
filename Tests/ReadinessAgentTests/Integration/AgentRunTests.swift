import Foundation
import JSON
import ReadinessAgent
import ReadinessContract
import ReadinessServiceTestSupport
import Testing

/// The agent against the real service on loopback (real PostgreSQL, real migrations).
@Suite struct AgentRunTests {
    @Test func onceRunUploadsAResultTheServiceAcceptsAndTheAssessmentReflectsIt() async throws {
        try await LiveService.with { live in
            let site = try await AgentTestSite.make(live)
            let spool = temporarySpool()
            defer { try? FileManager.default.removeItem(at: spool.deletingLastPathComponent()) }
            let captured = CapturedConsole()
            let flags = site.flags(spool: spool) { $0.bandwidthSeconds = 0.3 }
            let code = await AgentCommand.main(flags: flags, environment: [:], console: captured.console)
            #expect(code == 0, "\(captured.stderr)")
            #expect(captured.stderr.contains("upload"))
            #expect(!captured.stderr.contains(site.agentToken))
            #expect(captured.stdout.isEmpty)

            let assessment = try await live.client.get("/v1/sites/\(site.siteID)/assessment", token: site.admin)
            #expect(assessment.status == 200, "\(assessment.text)")
            // Nothing listens on 127.0.0.1:443, so the policy's Sococo HTTPS route fails.
            let findings = try assessment.decoded(AgentAssessmentAnswer.self).findings
            let https = try #require(findings.first { $0.code == "SOCOCO_HTTPS_BLOCKED" }, "\(assessment.text)")
            #expect(https.status == "fail", "\(https)")
            #expect(SpoolProbe.files(in: spool).isEmpty)

            // The stored result carries the probes the service itself answers.
            let runID = try #require(captured.stderr.firstMatch(of: /run ([0-9a-f-]{36}) accepted/)?.1, "\(captured.stderr)")
            let stored = try await live.client.get("/v1/results/\(runID)", token: site.admin)
            // The stored document read by the contract's own strict decoder, from the JSON tree.
            let document = try #require(try JSONParser.parse(stored.body)["result"], "\(stored.text)")
            let result = try ProbeResultDecoder.decode(document, now: Date()).get().results[0]
            #expect(result.gateway?.contains { $0.kind == .websocket && $0.host == "127.0.0.1" && $0.allowed && $0.status == 101 } == true,
                    "\(captured.stderr)")
            let bandwidth = try #require(result.bandwidth, "\(captured.stderr)")
            #expect(bandwidth.downKbps > 0 && bandwidth.upKbps > 0)
        }
    }

    @Test func revokedTokenExitsSeventySevenWithTheReason() async throws {
        try await LiveService.with { live in
            let site = try await AgentTestSite.make(live)
            let revoked = try await live.client.send("DELETE", "/v1/agents/\(site.agentID)", token: site.admin)
            #expect((200...299).contains(revoked.status), "\(revoked.text)")
            let captured = CapturedConsole()
            let spool = temporarySpool()
            let code = await AgentCommand.main(flags: site.flags(spool: spool), environment: [:], console: captured.console)
            #expect(code == 77)
            #expect(captured.reason == "readiness-agent: token rejected (revoked or wrong)")
            #expect(!captured.stderr.contains(site.agentToken))
        }
    }

    @Test func serverDownSpoolsTheResultAndTheNextRunUploadsIt() async throws {
        try await LiveService.with { live in
            let site = try await AgentTestSite.make(live)
            let forwarder = try LoopbackForwarder(to: live.port)
            let spool = temporarySpool()
            defer { try? FileManager.default.removeItem(at: spool.deletingLastPathComponent()) }
            let flags = site.flags(server: forwarder.url, spool: spool)

            // A first run gives the agent its plan.
            #expect(await AgentCommand.main(flags: flags, environment: [:], console: CapturedConsole().console) == 0)

            forwarder.stop()
            let down = CapturedConsole()
            #expect(await AgentCommand.main(flags: flags, environment: [:], console: down.console) == 75)
            let reason = try #require(down.reason)
            #expect(reason.hasPrefix("readiness-agent: server unreachable: "), "\(reason)")
            #expect(reason.contains("result spooled as \(spool.path)/"), "\(reason)")
            let files = SpoolProbe.files(in: spool)
            try #require(files.count == 1)
            let spooledRunID = String(files[0].dropLast(".json".count))
            #expect(try await live.client.get("/v1/results/\(spooledRunID)", token: site.admin).status == 404)

            try forwarder.restart()
            let back = CapturedConsole()
            #expect(await AgentCommand.main(flags: flags, environment: [:], console: back.console) == 0, "\(back.stderr)")
            #expect(back.stderr.contains("uploaded 1 spooled result"), "\(back.stderr)")
            #expect(SpoolProbe.files(in: spool).isEmpty)
            #expect(try await live.client.get("/v1/results/\(spooledRunID)", token: site.admin).status == 200)
        }
    }

    /// With the service's reflector on: UDP reachability, a UDP latency series and the idle
    /// timeout all come from it.
    @Test func dryRunPrintsAValidResultAndUploadsNothing() async throws {
        try await LiveService.with(configure: { $0.reflectorListen = .addresses(["127.0.0.1:0"]) }) { live in
            let site = try await AgentTestSite.make(live)
            let spool = temporarySpool()
            defer { try? FileManager.default.removeItem(at: spool.deletingLastPathComponent()) }
            let captured = CapturedConsole()
            let flags = site.flags(spool: spool) {
                $0.dryRun = true
                $0.udpTimeoutMaxS = 1
            }
            let code = await AgentCommand.main(flags: flags, environment: [:], console: captured.console)
            #expect(code == 0, "\(captured.stderr)")
            let upload = try ProbeResultDecoder.decode(captured.stdout, now: Date()).get()
            let result = try #require(upload.results.first)
            #expect(result.reachability?.contains { $0.protocol == .tcp && $0.host == "127.0.0.1" && $0.port == 443 && !$0.reachable } == true)
            let reflector = try #require(result.reachability?.first { $0.protocol == .udp && $0.port != 3478 }, "\(captured.stderr)")
            #expect(reflector.reachable, "\(captured.stderr)")
            let latency = try #require(result.latency?.first)
            #expect(latency.protocol == .udp)
            #expect(latency.samples == 3)
            #expect(latency.lossPct == 0)
            #expect(result.udpTimeout == .init(lowerBoundS: 1, upperBoundS: nil, probeMaxS: 1))
            #expect(!captured.stderr.contains("{\"schema\""))
            #expect(try await live.client.get("/v1/results/\(result.runID.uuidString.lowercased())", token: site.admin).status == 404)
            #expect(SpoolProbe.files(in: spool).isEmpty)
        }
    }
}

@Suite struct AgentFailureTests {
    @Test func aPlanItCannotRunExitsSixtyFiveNamingTheFault() async throws {
        let server = try CannedHTTPServer(status: 200, body: #"{"site_id": "x", "policy": {"name": "p", "version": 1}}"#)
        let captured = CapturedConsole()
        var flags = AgentFlags()
        flags.server = server.url
        flags.token = "t"
        flags.spool = temporarySpool().path
        let code = await AgentCommand.main(flags: flags, environment: [:], console: captured.console)
        #expect(code == 65)
        #expect(captured.reason?.contains("plan cannot be run: missing /") == true, "\(captured.stderr)")
    }

    @Test func anUnreachableServerWithoutACachedPlanExitsSeventyFive() async throws {
        let listener = try LoopbackListener { _ in }
        let port = listener.port
        listener.stop()
        let captured = CapturedConsole()
        var flags = AgentFlags()
        flags.server = "http://127.0.0.1:\(port)"
        flags.token = "t"
        flags.spool = temporarySpool().path
        #expect(await AgentCommand.main(flags: flags, environment: [:], console: captured.console) == 75)
        #expect(captured.reason?.contains("server unreachable") == true, "\(captured.stderr)")
        #expect(captured.reason?.contains("Connection refused") == true, "\(captured.stderr)")
    }

    /// `--every` retries what a retry can fix, but not a rejected token.
    @Test func everyStopsOnARejectedToken() async throws {
        let server = try CannedHTTPServer(status: 401, body: "{}")
        let captured = CapturedConsole()
        var flags = AgentFlags()
        flags.server = server.url
        flags.token = "revoked"
        flags.every = "10s"
        flags.spool = temporarySpool().path
        #expect(await AgentCommand.main(flags: flags, environment: [:], console: captured.console) == 77)
        #expect(captured.reason == "readiness-agent: token rejected (revoked or wrong)")
    }

    @Test func unauthorizedAnswerIsARejectedToken() async throws {
        let server = try CannedHTTPServer(status: 401, body: #"{"title": "Unauthorized", "status": 401}"#)
        let captured = CapturedConsole()
        var flags = AgentFlags()
        flags.server = server.url
        flags.token = "wrong"
        flags.spool = temporarySpool().path
        #expect(await AgentCommand.main(flags: flags, environment: [:], console: captured.console) == 77)
        #expect(captured.reason == "readiness-agent: token rejected (revoked or wrong)")
    }
}

enum SpoolProbe {
    static func files(in spool: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool.path)) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
    }
}
