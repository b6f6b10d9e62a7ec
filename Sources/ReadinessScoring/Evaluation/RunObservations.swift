/// Every rule's observation of one run, in rule order, under the policy version named: what
/// `Policy.evaluate` saw while scoring the run, handed on to the site's `SiteWindow` so that
/// the commit lane does not observe the run a second time. Empty (no rules' observations)
/// on an evaluation that was read back rather than computed.
public struct RunObservations: Sendable {
    let policy: String
    let policyVersion: Int
    let values: [RuleObservation]

    public init() {
        policy = ""
        policyVersion = 0
        values = []
    }

    init(policy: Policy, values: [RuleObservation]) {
        self.policy = policy.name
        self.policyVersion = policy.version
        self.values = values
    }

    /// Whether these are `policy`'s rules (a policy version's rules never change); never when empty.
    func belong(to policy: Policy) -> Bool {
        !values.isEmpty && self.policy == policy.name && policyVersion == policy.version && values.count == policy.plans.count
    }
}

extension RunObservations: Equatable {
    /// Always equal: the observations are what an evaluation was computed from, not part of
    /// its value, so an evaluation read back from storage (which has none) equals the one
    /// computed from the run.
    public static func == (_: RunObservations, _: RunObservations) -> Bool { true }
}
