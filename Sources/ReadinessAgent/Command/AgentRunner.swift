import HTTPClient
import Foundation
import SystemCrypto

/// One run: upload what the spool holds, fetch the plan, probe, then upload the result (or
/// print it with `--dry-run`, or spool it when the service cannot be reached or asked to wait:
/// a 429 or 503 with Retry-After is recorded in the spool, and no run sends anything before
/// that time).
public struct AgentRunner: Sendable {
    public let settings: AgentSettings
    public let environment: [String: String]
    public let progress: ProgressReporter
    /// Where `--dry-run` writes the result JSON (stdout in the executable).
    public let output: @Sendable (Data) -> Void

    public init(settings: AgentSettings, environment: [String: String], progress: ProgressReporter, output: @escaping @Sendable (Data) -> Void) {
        self.settings = settings
        self.environment = environment
        self.progress = progress
        self.output = output
    }

    /// How a successful run ended.
    public struct Summary: Sendable, Equatable {
        public let runID: UUID
        /// Spooled results of earlier runs that went up first.
        public let spooledUploaded: Int
        /// The service's verdict for this run's result (nil with --dry-run).
        public let verdict: String?
    }

    public func runOnce() async throws -> Summary {
        let tls: TLSClientContext
        do {
            tls = try TLSClientContext(trust: settings.trust)
        } catch {
            throw AgentFailure.usage("\(error)")
        }
        let dialer = StreamDialer(proxies: ProxyEnvironment(environment: environment), tls: tls, userAgent: AgentVersion.userAgent)
        let client = ServiceClient(server: settings.server, token: settings.token, dialer: dialer)
        let spoolUploader = SpoolUploader(spool: settings.spool, client: client, progress: progress)
        let retryAfter = RetryAfterMarker(spool: settings.spool)
        // An earlier answer asked to wait: nothing is sent before then, not even a plan request.
        var waitUntil = settings.dryRun ? nil : retryAfter.pending(now: Date())
        var flushed = 0
        if !settings.dryRun, waitUntil == nil {
            do {
                flushed = try await spoolUploader.flush()
            } catch let AgentFailure.backOff(_, until) {
                retryAfter.record(until)
                waitUntil = until
            }
        }

        let runID = UUID()
        let startedAt = Date()
        let cache = PlanCache(spool: settings.spool)
        let obtained = try await obtainPlan(client: client, cache: cache, retryAfter: retryAfter, waitUntil: waitUntil)
        let (sawVia, unreachable) = (obtained.sawVia, obtained.unreachable)
        waitUntil = obtained.waitUntil
        let plan = obtained.plan.applying(
            latencySamples: settings.latencySamples, latencyIntervalMs: settings.latencyIntervalMs,
            udpTimeoutMaxS: settings.udpTimeoutMaxS)
        progress.line(
            "plan", "policy \(plan.policy.name) v\(plan.policy.version): \(plan.tcpTargets.count) tcp, "
                + "\(plan.stunTargets.count) stun, \(plan.websocketTargets.count) websocket, \(plan.tlsTargets.count) tls targets")

        let suite = ProbeSuite(
            plan: plan, settings: settings, dialer: dialer, progress: progress, environment: environment, sawVia: sawVia)
        let outcomes = await suite.run()
        let result = ResultAssembler.assemble(runID: runID, startedAt: startedAt, finishedAt: Date(), outcomes: outcomes)
        let body = try ResultAssembler.validatedJSON(result)

        if settings.dryRun {
            output(body + Data("\n".utf8))
            return Summary(runID: runID, spooledUploaded: flushed, verdict: nil)
        }
        if let until = waitUntil {
            throw AgentFailure.backOff("result spooled as \(try settings.spool.store(result).path)", until: until)
        }
        if let unreachable {
            throw AgentFailure.serverUnreachable("\(unreachable); result spooled as \(try settings.spool.store(result).path)")
        }
        do {
            let answer = try await client.upload([body])
            retryAfter.clear()
            progress.line("upload", "run \(runID.uuidString.lowercased()) accepted" + (answer.verdict.map { ", verdict \($0)" } ?? ""))
            return Summary(runID: runID, spooledUploaded: flushed, verdict: answer.verdict)
        } catch let AgentFailure.serverUnreachable(why) {
            throw AgentFailure.serverUnreachable("\(why); result spooled as \(try settings.spool.store(result).path)")
        } catch let AgentFailure.backOff(why, until) {
            retryAfter.record(until)
            throw AgentFailure.backOff("\(why); result spooled as \(try settings.spool.store(result).path)", until: until)
        }
    }
}
