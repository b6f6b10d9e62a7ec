import HTTPServer

/// Every `/v1` operation. Each concept registers its own routes; this list is the one place
/// that says which concepts the API has.
enum APIRoutes {
    static func register(on router: inout Router, context: AppContext) {
        SpecRoutes().register(on: &router)
        SitesRoutes(context: context).register(on: &router)
        AgentsRoutes(context: context).register(on: &router)
        TokensRoutes(context: context).register(on: &router)
        PoliciesRoutes(context: context).register(on: &router)
        PolicyDiffRoutes(context: context).register(on: &router)
        ResultsRoutes(context: context).register(on: &router)
        AssessmentRoutes(context: context).register(on: &router)
        HistoryRoutes(context: context).register(on: &router)
        FleetRoutes(context: context).register(on: &router)
        RemediationRoutes(context: context).register(on: &router)
        WhatIfRoutes(context: context).register(on: &router)
        PreviewRoutes(context: context).register(on: &router)
        AgentPlanRoutes(context: context).register(on: &router)
        ProbeRoutes(context: context).register(on: &router)
        MetricsRoutes(context: context).register(on: &router)
    }
}
