import HTTPServer

/// Placeholder: filled in by the work on fleet views.
struct FleetRoutes: Sendable {
    let context: AppContext

    func register(on router: inout Router) {}
}
