import HTTPServer

/// Placeholder: filled in by the work on sites.
struct SitesRoutes: Sendable {
    let context: AppContext

    func register(on router: inout Router) {}
}
