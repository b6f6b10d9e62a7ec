import HTTPServer

/// Placeholder: filled in by the work on the current site assessment.
struct AssessmentRoutes: Sendable {
    let context: AppContext

    func register(on router: inout Router) {}
}
