import HTTPServer

/// Placeholder: filled in by the work on history and changes.
struct HistoryRoutes: Sendable {
    let context: AppContext

    func register(on router: inout Router) {}
}
