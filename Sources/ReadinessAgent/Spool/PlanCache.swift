import ReadinessContract
import HTTPClient
import Foundation

/// The last plan the service gave, kept beside the spool: when the service is unreachable the
/// agent still probes (with the plan it last had) and spools the result, so an outage of the
/// service does not leave a gap in the site's history.
struct PlanCache: Sendable {
    let file: URL

    init(spool: ResultSpool) {
        file = spool.directory.appendingPathComponent(".plan.json")
    }

    private struct Stored: Codable {
        var server: String
        var plan: AgentPlan
    }

    func store(_ plan: AgentPlan, server: ServerURL) {
        // The agent does not use the untargeted rules: the cached file keeps only what it runs.
        var plan = plan
        plan.untargetedRules = nil
        guard let body = try? JSONEncoder().encode(Stored(server: server.description, plan: plan)) else { return }
        _ = FileManager.default.createFile(atPath: file.path, contents: body, attributes: [.posixPermissions: 0o600])
    }

    /// The cached plan, if it came from the same server.
    func load(server: ServerURL) -> AgentPlan? {
        guard let body = FileManager.default.contents(atPath: file.path),
              let stored = try? JSONDecoder().decode(Stored.self, from: body), stored.server == server.description
        else { return nil }
        return (try? stored.plan.validate()) != nil ? stored.plan : nil
    }
}
