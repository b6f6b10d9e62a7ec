import HTTPServer

/// Placeholder: filled in by the work on tokens.
struct TokensRoutes: Sendable {
    let context: AppContext

    func register(on router: inout Router) {}
}
