import Foundation
import HTTPServer
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport
import Sockets
import SystemClock

/// `GET /metrics` through the real server: what it counts follows what was asked of the
/// server between two scrapes.
@Suite struct MetricsTests {
    /// Each sample line as "name{labels}" → value; comments skipped.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func requestsIngestPoolAndProcessAreCountedByRoutePatternNotPath() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            func scrape() async throws -> [String: Double] {
                let response = try await live.client.get("/metrics", token: read)
                #expect(response.status == 200)
                #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
                #expect(!response.text.contains(site.lower), "no path, only patterns")
                return Self.samples(response.text)
            }
            let before = try await scrape()

            let siteRoute = #"route="/v1/sites/{site_id}""#
            #expect(try await live.client.get("/v1/sites/\(site.lower)", token: read).status == 200)
            #expect(try await live.client.get("/v1/sites/\(site.lower)", token: read).status == 200)
            #expect(try await live.client.get("/v1/sites/\(UUID())", token: read).status == 404)
            // HEAD is answered by the GET route, and counted under its own method.
            #expect(try await live.client.send("HEAD", "/v1/sites/\(site.lower)", token: read).status == 200)
            #expect(try await live.client.get("/no/such/path", token: read).status == 404)
            let runID = UUID()
            let first = Data(ReadFixtures.goodJSON(runID: runID, at: Date().addingTimeInterval(-60)).utf8)
            let second = Data(ReadFixtures.goodJSON(at: Date().addingTimeInterval(-30)).utf8)
            #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: first).status == 201)
            #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: first).status == 200, "a replay")
            #expect(try await live.client.send("POST", "/v1/results", token: agent.token, body: second).status == 201)

            let after = try await scrape()
            func delta(_ series: String) -> Double { (after[series] ?? 0) - (before[series] ?? 0) }
            #expect(delta(#"http_server_requests_total{method="GET",\#(siteRoute),status="200"}"#) == 2)
            #expect(delta(#"http_server_requests_total{method="GET",\#(siteRoute),status="404"}"#) == 1)
            #expect(delta(#"http_server_requests_total{method="HEAD",\#(siteRoute),status="200"}"#) == 1)
            #expect(delta(#"http_server_requests_total{method="GET",route="unmatched",status="404"}"#) == 1)
            #expect(delta(#"http_server_request_duration_seconds_count{method="GET",\#(siteRoute)}"#) == 3)
            #expect(delta(#"http_server_requests_total{method="POST",route="/v1/results",status="201"}"#) == 2)
            #expect(delta(#"readiness_ingest_results_total{outcome="created"}"#) == 2)
            #expect(delta(#"readiness_ingest_results_total{outcome="duplicate"}"#) == 1)
            // Each upload waited for its own group here (they were sent one after another).
            #expect(delta("readiness_ingest_groups_total") == 3)
            #expect(delta("readiness_ingest_group_uploads_count") == 3)
            #expect(delta("readiness_ingest_group_seconds_count") == 3)
            #expect(delta("readiness_ingest_group_failures_total") == 0)
            #expect(after["readiness_ingest_queued_uploads"] == 0, "every upload was answered")
            // The first scrape is counted by the second, once it answered.
            #expect(delta(#"http_server_requests_total{method="GET",route="/metrics",status="200"}"#) == 1)

            #expect((after["readiness_db_pool_connections"] ?? 0) >= 1)
            #expect(after["readiness_db_pool_waiting"] == 0)
            #expect((after["process_cpu_seconds_total"] ?? 0) > 0)
            #expect((after["process_resident_memory_bytes"] ?? 0) > 1_000_000)
            #expect((after["process_open_fds"] ?? 0) > 3)
            let started = try #require(after["process_start_time_seconds"])
            #expect(abs(started - Date().timeIntervalSince1970) < 3600, "the test process started within the hour")
        }
    }

    @Test func uploadsWaitingForTheNextGroupAreCountedUntilItTakesThem() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            func queued() async throws -> Double? {
                Self.samples(try await live.client.get("/metrics", token: read).text)["readiness_ingest_queued_uploads"]
            }
            func upload(_ seconds: Double) -> Task<Int, any Error> {
                let body = Data(ReadFixtures.goodJSON(at: Date().addingTimeInterval(-seconds)).utf8)
                return Task { try await live.client.send("POST", "/v1/results", token: agent.token, body: body).status }
            }
            // Warm the site and partition caches, so the uploads below go straight to the lane.
            #expect(try await upload(90).value == 201)
            // The site's row held: the lane's next group waits at its lock.
            let holder = HeldTransaction(live.database, ["SELECT id FROM sites WHERE id = \(site) FOR UPDATE"])
            await holder.untilHeld()
            let writing = upload(60)
            func blocked() async throws -> Bool {
                try await live.database.query(
                    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )[0].decode(Int.self, column: "n") > 0
            }
            for _ in 0..<250 where !(try await blocked()) { try await Task.sleep(for: .milliseconds(20)) }
            #expect(try await blocked(), "the first upload's group waits at the site's lock")
            var seen = try await queued()
            #expect(seen == 0, "its group took it")
            let waiting = [upload(30), upload(20)]
            for _ in 0..<100 where seen != 2 { try await Task.sleep(for: .milliseconds(20)); seen = try await queued() }
            #expect(seen == 2, "two uploads wait behind the group at the lock")
            holder.release()
            try await holder.done.value
            #expect(try await writing.value == 201)
            for task in waiting { #expect(try await task.value == 201) }
            #expect(try await queued() == 0)
        }
    }

    @Test func requestsTheServerRefusesBeforeRoutingAreCountedByStatus() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            func refused(_ status: Int) async throws -> Double {
                Self.samples(try await live.client.get("/metrics", token: read).text)[#"http_server_refused_requests_total{status="\#(status)"}"#] ?? 0
            }
            let before = (try await refused(400), try await refused(505))
            for request in ["GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                            "GET / HTTP/3.0\r\nHost: x\r\n\r\n"] {
                let socket = try TCPClientSocket.connect(to: SocketAddress(ip: "127.0.0.1", port: UInt16(live.port))!, timeout: .seconds(2))
                defer { socket.close() }
                try socket.write(Array(request.utf8), deadline: .now() + .seconds(2))
                let answer = String(decoding: try socket.read(maxCount: 4096, deadline: .now() + .seconds(2)), as: UTF8.self)
                #expect(answer.hasPrefix("HTTP/1.1 400") || answer.hasPrefix("HTTP/1.1 505"))
            }
            #expect(try await refused(400) == before.0 + 1)
            #expect(try await refused(505) == before.1 + 1)
        }
    }

    @Test func metricsNeedAReadToken() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let anonymous = try await live.client.get("/metrics")
            #expect(anonymous.status == 401)
            // RFC 6750 §3: no token was sent, so no error code.
            #expect(anonymous.header("WWW-Authenticate") == #"Bearer realm="readiness""#)
            #expect(try await live.client.get("/metrics", token: agent.token).status == 403)
            #expect(try await live.client.get("/metrics", token: try await live.fixtures.token(.admin)).status == 200)
        }
    }

    @Test func inventedMethodsOnUnknownPathsShareOneLabel() {
        let metrics = ServiceMetrics()
        for method in ["GET", "BREW", "PROPFIND", "X-ANYTHING"] {
            metrics.requests.observe(method: HTTPMethod(rawValue: method), route: nil, status: 404, duration: .milliseconds(1))
        }
        let samples = Self.samples(String(decoding: metrics.render(pool: nil), as: UTF8.self))
        #expect(samples[#"http_server_requests_total{method="GET",route="unmatched",status="404"}"#] == 1)
        #expect(samples[#"http_server_requests_total{method="other",route="unmatched",status="404"}"#] == 3)
    }
}
