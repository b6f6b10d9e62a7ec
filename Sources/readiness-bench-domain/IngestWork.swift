import JSON
import Foundation
import ReadinessContract
import ReadinessScoring

/// The domain work the ingest path does per uploaded result, as it was (Foundation's
/// `JSONEncoder`, the whole window re-scored per group) and as it is (`JSONWriter`, an
/// incremental `SiteWindow`): canonical body, evaluation JSON, and the site's new assessment
/// and its JSON, with the site's window holding `windowRuns` earlier runs (288: one agent
/// every five minutes for a day). One result per group per site, the bench's usual case.
struct IngestWork {
    let policy: Policy
    let site: SiteParameters
    let template: ProbeResult
    let now: Date
    let windowRuns: Int

    static func foundationEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339Timestamp.format(date))
        }
        return encoder
    }

    /// The `index`th run: its own id, finishing a few seconds after the previous one.
    func run(_ index: Int) -> ProbeResult {
        var result = template
        result.runID = UUID(uuid: (UInt8(truncatingIfNeeded: index >> 24), UInt8(truncatingIfNeeded: index >> 16),
                                   UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index),
                                   0x4c, 0x1b, 0x4f, 0x7e, 0x9d, 0x1a, 0x2a, 0x6f, 0x3f, 0x0c, 0x8b, 0x11))
        result.finishedAt = now.addingTimeInterval(Double(index - windowRuns) * 86_400 / Double(windowRuns))
        result.latency?[0].rttMs?.p50 = 15 + Double(index % 60)
        return result
    }

    /// As before: Foundation encodes everything and the window is re-observed and re-combined.
    func before(results: Int) throws -> Int {
        let encoder = Self.foundationEncoder()
        var window = (0..<windowRuns).map(run)
        var bytes = 0
        for index in windowRuns..<(windowRuns + results) {
            let result = run(index)
            bytes += try encoder.encode(result).count
            bytes += try encoder.encode(policy.evaluate(result, site: site)).count
            // As the old writer kept it: the remembered window plus the new run, from the cutoff on.
            let cutoff = result.finishedAt.addingTimeInterval(-policy.freshnessWindow)
            window = (window + [result]).filter { $0.finishedAt >= cutoff }
            let assessment = policy.assess(window, site: site, now: result.finishedAt)
            bytes += try encoder.encode(assessment).count
        }
        return bytes
    }

    /// As now: `JSONWriter` and one `SiteWindow` insertion per result.
    func after(results: Int) throws -> Int {
        var window = SiteWindow(policy: policy, completeFrom: .distantPast)
        for index in 0..<windowRuns { window.insert(run(index)) }
        var bytes = 0
        for index in windowRuns..<(windowRuns + results) {
            let result = run(index)
            bytes += result.canonicalJSONBytes().count
            bytes += try policy.evaluate(result, site: site).jsonBytes().count
            window.insert(result)
            guard let assessment = window.assess(site: site, now: result.finishedAt) else { return -1 }
            bytes += try assessment.jsonBytes().count
        }
        return bytes
    }
}
