import HTTPServer

/// Every `/v1` operation. Each concept registers its own routes; this list is the one place
/// that says which concepts the API has.
enum APIRoutes {
    static func register(on router: inout Router, context: AppContext) {
        SpecRoutes().register(on: &router)
    }
}
