import Foundation
import Logging
import ReadinessAgent
import ReadinessApp
import ReadinessServiceTestSupport
import Testing

/// A site on the live service whose policy points every probe at loopback (the tests never
/// send a packet off this machine), with an agent and its token, set up through the API as an
/// administrator would.
struct AgentTestSite {
    let live: LiveService
    let admin: String
    let siteID: String
    let agentID: String
    let agentToken: String

    var serverURL: String { "http://127.0.0.1:\(live.port)" }

    static func make(_ live: LiveService, name: String = "Lobby") async throws -> AgentTestSite {
        let admin = try await TokenBootstrap.create(
            configuration: live.configuration, name: "agent-tests", scope: "admin", expiresAt: nil, logger: LiveService.logger)
        try await installLoopbackPolicy(live, admin: admin)
        let site = try await live.client.send(
            "POST", "/v1/sites", token: admin,
            body: json(["name": name, "expected_users": 10, "policy": ["name": "loopback", "version": NSNull()]]))
        try #require(site.status == 201, "\(site.text)")
        let siteID = try site.decoded(AgentSiteAnswer.self).id
        let agent = try await live.client.send("POST", "/v1/sites/\(siteID)/agents", token: admin, body: json(["name": "agent-1"]))
        try #require(agent.status == 201, "\(agent.text)")
        let created = try agent.decoded(AgentCreatedAnswer.self)
        return AgentTestSite(live: live, admin: admin, siteID: siteID, agentID: created.agent.id, agentToken: created.token)
    }

    /// The seeded policy with every destination replaced by 127.0.0.1, as policy `loopback`.
    static func installLoopbackPolicy(_ live: LiveService, admin: String) async throws {
        let existing = try await live.client.get("/v1/policies/loopback", token: admin)
        if existing.status == 200 { return }
        let sococo = try await live.client.get("/v1/policies/sococo", token: admin)
        try #require(sococo.status == 200, "\(sococo.text)")
        let body = try AgentLoopbackPolicy.body(from: sococo.body)
        let created = try await live.client.send("POST", "/v1/policies/loopback/versions", token: admin, body: body)
        try #require(created.status == 201, "\(created.text)")
    }

    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
    }

    /// Flags for a fast, light run: few latency samples, no bandwidth or idle-timeout probe
    /// (tests that need them turn them on; the whole suite shares two cores).
    func flags(server: String? = nil, spool: URL, _ configure: (inout AgentFlags) -> Void = { _ in }) -> AgentFlags {
        var flags = AgentFlags()
        flags.server = server ?? serverURL
        flags.token = agentToken
        flags.spool = spool.path
        flags.latencySamples = 3
        flags.latencyIntervalMs = 5
        flags.bandwidthSeconds = 0
        flags.udpTimeoutMaxS = 0
        configure(&flags)
        return flags
    }
}

/// What a command wrote, for assertions.
final class CapturedConsole: @unchecked Sendable {  // test-only; guarded by `lock`
    private let lock = NSLock()
    private var out = Data()
    private var err = ""

    var console: AgentCommand.Console {
        AgentCommand.Console(
            output: { data in self.lock.withLock { self.out.append(data) } },
            error: { text in self.lock.withLock { self.err += text } })
    }

    var stdout: Data { lock.withLock { out } }
    var stderr: String { lock.withLock { err } }
    /// The one-line reason of a failed run.
    var reason: String? { stderr.split(separator: "\n").last { $0.hasPrefix("readiness-agent: ") }.map(String.init) }
}

func temporarySpool() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("agent-it-\(UUID().uuidString)/spool")
}
