import JSON
import Foundation
import ReadinessContract

extension AgentRunner {
    /// The plan a run probes with, and why it was not fetched fresh.
    struct ObtainedPlan: Sendable {
        var plan: AgentPlan
        /// The answer carried `Via` with no proxy configured.
        var sawVia = false
        /// The service could not be reached: the last plan it gave is run, the result spooled.
        var unreachable: String?
        /// The service asked to wait (429 or 503 with Retry-After): the last plan it gave is
        /// run, the result spooled, nothing sent before then.
        var waitUntil: Date?
    }

    /// The service's plan, or the cached one while it is unreachable or asked to wait; without
    /// a cached plan the run ends there (exit 75 either way).
    func obtainPlan(client: ServiceClient, cache: PlanCache, retryAfter: RetryAfterMarker, waitUntil: Date?) async throws -> ObtainedPlan {
        if let until = waitUntil {
            guard let cached = cache.load(server: settings.server) else { throw AgentFailure.backOff("no plan to run", until: until) }
            progress.line("plan", "the service asked to wait until \(RFC3339Timestamp.format(until)); running the last plan it gave")
            return ObtainedPlan(plan: cached, waitUntil: until)
        }
        do {
            let answer = try await client.fetchPlan()
            if !settings.dryRun {
                try? settings.spool.ensureDirectory()
                cache.store(answer.plan, server: settings.server)
            }
            return ObtainedPlan(plan: answer.plan, sawVia: answer.viaTransparentProxy)
        } catch let AgentFailure.serverUnreachable(why) {
            guard !settings.dryRun, let cached = cache.load(server: settings.server) else {
                throw AgentFailure.serverUnreachable("\(why); no plan to run")
            }
            progress.line("plan", "server unreachable, running the last plan it gave")
            return ObtainedPlan(plan: cached, unreachable: why)
        } catch let AgentFailure.backOff(why, until) where !settings.dryRun {
            retryAfter.record(until)
            guard let cached = cache.load(server: settings.server) else { throw AgentFailure.backOff("\(why); no plan to run", until: until) }
            progress.line("plan", "the service asked to wait until \(RFC3339Timestamp.format(until)); running the last plan it gave")
            return ObtainedPlan(plan: cached, waitUntil: until)
        }
    }
}
