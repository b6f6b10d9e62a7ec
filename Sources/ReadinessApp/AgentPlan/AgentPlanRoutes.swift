import HTTPServer

/// Placeholder: filled in by the work on the agent plan.
struct AgentPlanRoutes: Sendable {
    let context: AppContext

    func register(on router: inout Router) {}
}
