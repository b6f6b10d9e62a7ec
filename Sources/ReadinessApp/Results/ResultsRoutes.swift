import HTTPServer

/// Placeholder: filled in by the work on result ingest.
struct ResultsRoutes: Sendable {
    let context: AppContext

    func register(on router: inout Router) {}
}
