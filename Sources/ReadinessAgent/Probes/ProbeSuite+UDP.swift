import ReadinessContract
import Sockets

extension ProbeSuite {
    /// Is `target` the service's own reflector (whose requests must be padded)? Any port of
    /// the reflector's host: the service may listen on several (READINESS_REFLECTOR_LISTEN,
    /// e.g. UDP 443 and 3478), and a media route can point at one the plan does not advertise.
    func isReflector(_ target: AgentPlan.HostPort) -> Bool {
        target.host.caseInsensitiveCompare(plan.reflector.host) == .orderedSame
    }

    func udpReachability() async -> [ProbeResult.ReachabilityProbe] {
        await withTaskGroup(of: (Int, ProbeResult.ReachabilityProbe).self) { group in
            for (index, target) in plan.mediaTargets.enumerated() {
                let padded = isReflector(target)
                group.addTask { (index, await UDPReachabilityProbe(padded: padded).run(target)) }
            }
            var results: [(Int, ProbeResult.ReachabilityProbe)] = []
            for await result in group {
                progress.line("udp \(result.1.host):\(result.1.port)", Self.describe(result.1))
                results.append(result)
            }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// A series to each media target that answered; TCP connects to the service when none did.
    func latency(_ udp: [ProbeResult.ReachabilityProbe]) async -> [ProbeResult.LatencyProbe] {
        let samples = plan.latency.samples
        let interval = Duration.milliseconds(plan.latency.intervalMs)
        let answering = plan.mediaTargets.filter { target in
            udp.contains { $0.host == target.host && $0.port == target.port && $0.reachable }
        }
        var results: [ProbeResult.LatencyProbe] = []
        for target in answering {
            let probe = LatencySeriesProbe(samples: samples, interval: interval, padded: isReflector(target))
            let label = "latency \(target.host):\(target.port)"
            let progress = progress
            guard let rtts = try? await probe.run(target, progress: { progress.live(label, "\($0)/\(samples)") }) else { continue }
            let entry = LatencyStatistics.summarize(host: target.host, transport: .udp, rtts: rtts)
            progress.line(label, Self.describe(entry))
            results.append(entry)
        }
        if results.contains(where: { $0.rttMs != nil }) { return results }
        let server = settings.server
        guard let rtts = try? await TCPLatencySeries(samples: samples, interval: interval).run(host: server.host, port: server.port) else {
            return results
        }
        let entry = LatencyStatistics.summarize(host: server.host, transport: .tcp, rtts: rtts)
        progress.line("latency \(server.host) (tcp)", Self.describe(entry))
        return [entry]
    }

    static func describe(_ entry: ProbeResult.LatencyProbe) -> String {
        guard let rtt = entry.rttMs else { return "no answers, loss 100 %" }
        return "p50 \(rtt.p50) ms, p95 \(rtt.p95) ms, jitter \(entry.jitterMs ?? 0) ms, loss \(entry.lossPct) %"
    }

    func udpTimeout() async -> ProbeResult.UDPTimeoutProbe? {
        guard plan.udpTimeout.maxS > 0, !plan.udpTimeout.stepsS.isEmpty else { return nil }
        let progress = progress
        let probe = UDPIdleTimeoutProbe(reflector: plan.reflector, stepsS: plan.udpTimeout.stepsS, maxS: plan.udpTimeout.maxS)
        progress.line("udp idle timeout", "bindings idling for \(plan.udpTimeout.stepsS.map { "\($0)s" }.joined(separator: ", "))")
        let result = await probe.run { gap, outcome in
            progress.line("udp idle \(gap)s", outcome == .survived ? "binding survived" : outcome == .expired ? "binding expired" : "no ack")
        }
        progress.line("udp idle timeout", result.map { "at least \(Int($0.lowerBoundS)) s" + ($0.upperBoundS.map { ", at most \(Int($0)) s" } ?? "") }
            ?? "no answer from the reflector, left out")
        return result
    }
}
