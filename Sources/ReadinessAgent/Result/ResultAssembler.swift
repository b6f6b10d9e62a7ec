import Foundation
import ReadinessContract

/// Builds the `probe-result/v1` document and checks it with the service's own decoder
/// (ReadinessContract), so the agent never uploads what the service would reject.
enum ResultAssembler {
    static func assemble(runID: UUID, startedAt: Date, finishedAt: Date, outcomes: ProbeOutcomes) -> ProbeResult {
        ProbeResult(
            runID: runID,
            agent: .init(version: AgentVersion.version, os: operatingSystem, hostname: hostname),
            startedAt: startedAt, finishedAt: max(finishedAt, startedAt), network: outcomes.network,
            // An empty section says "probed nothing"; leaving it out says "unknown" (contract).
            reachability: outcomes.reachability.isEmpty ? nil : outcomes.reachability,
            gateway: outcomes.gateway.isEmpty ? nil : outcomes.gateway,
            tlsInspection: outcomes.tlsInspection.isEmpty ? nil : outcomes.tlsInspection,
            udpTimeout: outcomes.udpTimeout,
            latency: outcomes.latency.isEmpty ? nil : outcomes.latency,
            bandwidth: outcomes.bandwidth)
    }

    /// The canonical bytes, after the contract's own validation.
    static func validatedJSON(_ result: ProbeResult, now: Date = Date()) throws -> Data {
        let body = result.canonicalJSON()
        switch ProbeResultDecoder.decode(body, now: now) {
        case .success:
            return body
        case let .failure(failure):
            let faults = failure.faults.map { "\($0.pointer) \($0.message)" }.joined(separator: "; ")
            throw AgentFailure.software("the result does not satisfy probe-result/v1: \(faults)")
        }
    }

    static var operatingSystem: String {
        #if os(Linux)
        "linux"
        #elseif os(macOS)
        "macos"
        #elseif os(Windows)
        "windows"
        #else
        "unknown"
        #endif
    }

    static var hostname: String? {
        let name = ProcessInfo.processInfo.hostName
        return name.isEmpty ? nil : name
    }
}
