import HTTPServer

/// Placeholder: filled in by the work on agents.
struct AgentsRoutes: Sendable {
    let context: AppContext

    func register(on router: inout Router) {}
}
