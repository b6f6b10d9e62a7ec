import HTTPServer

/// Placeholder: filled in by the work on policies.
struct PoliciesRoutes: Sendable {
    let context: AppContext

    func register(on router: inout Router) {}
}
