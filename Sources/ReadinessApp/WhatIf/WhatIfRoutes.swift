import HTTPServer

/// Placeholder: filled in by the work on evaluate and rescore.
struct WhatIfRoutes: Sendable {
    let context: AppContext

    func register(on router: inout Router) {}
}
