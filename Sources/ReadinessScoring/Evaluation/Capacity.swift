import ReadinessContract
import Foundation

/// How many concurrent users the measured bandwidth carries at each tier
/// (readiness-policy.md): ⌊bandwidth / (profile × headroom)⌋ per direction, the smaller of
/// up and down.
public struct Capacity: Codable, Sendable, Equatable {
    public var optimalUsers: Int?
    public var minimalUsers: Int?

    enum CodingKeys: String, CodingKey {
        case optimalUsers = "optimal_users"
        case minimalUsers = "minimal_users"
    }

    public init(optimalUsers: Int?, minimalUsers: Int?) {
        self.optimalUsers = optimalUsers
        self.minimalUsers = minimalUsers
    }

    public static func users(upKbps: Double, downKbps: Double, profileUp: Double, profileDown: Double, headroom: Double) -> Int {
        let up = (upKbps / (profileUp * headroom)).rounded(.down)
        let down = (downKbps / (profileDown * headroom)).rounded(.down)
        let carried = min(up, down)
        return carried.isFinite ? Int(max(0, min(carried, 1e9))) : 0
    }
}

extension Policy {
    func capacity(_ bandwidth: ProbeResult.BandwidthProbe?) -> Capacity {
        guard let bandwidth, let index = bandwidthRuleIndex else { return Capacity(optimalUsers: nil, minimalUsers: nil) }
        let rule = rules[index]
        func users(_ tier: Tier) -> Int? {
            guard let profile = rule.tier(tier)?.profile else { return nil }
            return Capacity.users(upKbps: bandwidth.upKbps, downKbps: bandwidth.downKbps,
                                  profileUp: profile.upKbps, profileDown: profile.downKbps, headroom: rule.headroom)
        }
        return Capacity(optimalUsers: users(.optimal), minimalUsers: users(.minimal))
    }
}
