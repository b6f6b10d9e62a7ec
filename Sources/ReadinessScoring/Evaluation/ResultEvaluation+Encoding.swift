import JSON
import Foundation

extension ResultEvaluation {
    /// Written out by hand only for `run_id`, spelled in lower case as everywhere in the API
    /// (see `ProbeResult.encode(to:)`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID.uuidString.lowercased(), forKey: .runID)
        try container.encode(policy, forKey: .policy)
        try container.encode(policyVersion, forKey: .policyVersion)
        try container.encode(site, forKey: .site)
        try container.encode(verdict, forKey: .verdict)
        try container.encodeIfPresent(score, forKey: .score)
        try container.encode(findings, forKey: .findings)
        try container.encodeIfPresent(mos, forKey: .mos)
        try container.encode(capacity, forKey: .capacity)
        try container.encodeIfPresent(transport, forKey: .transport)
    }
}
