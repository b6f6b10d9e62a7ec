import ReadinessContract
import Foundation
import HTTPServer

/// `GET /v1/agent/plan` (scope agent): the plan for the calling agent's own site.
///
/// The reflector is this service: `AppConfiguration.reflectorHost` / `reflectorPort`, else
/// the host the agent reached us by (its `Host` header) on the reflector's first listen port.
struct AgentPlanRoutes: Sendable {
    let context: AppContext

    func register(on router: inout APIRouter) {
        let configuredHost = context.configuration.reflectorHost
        let port = context.configuration.reflectorPort ?? AppConfiguration.defaultReflectorPort
        router.get("/v1/agent/plan", access: .agent) { [context] request, principal, _ in
            guard let siteID = principal.siteID, let site = try await context.sites.find(siteID) else {
                throw SiteNotFound(principal.siteID?.uuidString.lowercased())
            }
            let policy = try await PolicyLookup.require(name: site.policyName, version: site.policyVersion, in: context.policies)
            let host = configuredHost ?? Self.host(fromHostHeader: request.headers["host"]) ?? "127.0.0.1"
            return try APIJSON.response(AgentPlan(
                site: site, policy: policy, reflector: .init(host: host, port: port), reflectorStatus: context.reflector))
        }
    }

    /// `Host` without its port (RFC 9110 §7.2), bracketed IPv6 literals kept whole.
    static func host(fromHostHeader header: String?) -> String? {
        guard let header, !header.isEmpty else { return nil }
        if header.hasPrefix("["), let close = header.firstIndex(of: "]") { return String(header[...close]) }
        return header.split(separator: ":").first.map(String.init)
    }
}
