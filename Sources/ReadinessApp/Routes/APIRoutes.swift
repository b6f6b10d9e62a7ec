import HTTPServer

/// Every `/v1` operation. Each concept registers its own routes, each route with who may call
/// it (``APIRouter``); this list is the one place that says which concepts the API has.
enum APIRoutes {
    static func register(on router: inout Router, context: AppContext) {
        SpecRoutes().register(on: &router)
        var api = APIRouter(router: router, authenticator: context.authenticator)
        SitesRoutes(context: context).register(on: &api)
        AgentsRoutes(context: context).register(on: &api)
        TokensRoutes(context: context).register(on: &api)
        PoliciesRoutes(context: context).register(on: &api)
        PolicyDiffRoutes(context: context).register(on: &api)
        ResultsRoutes(context: context).register(on: &api)
        AssessmentRoutes(context: context).register(on: &api)
        HistoryRoutes(context: context).register(on: &api)
        FleetRoutes(context: context).register(on: &api)
        RemediationRoutes(context: context).register(on: &api)
        WhatIfRoutes(context: context).register(on: &api)
        PreviewRoutes(context: context).register(on: &api)
        AgentPlanRoutes(context: context).register(on: &api)
        ProbeRoutes(context: context).register(on: &api)
        MetricsRoutes(context: context).register(on: &api)
        WebhooksRoutes(context: context).register(on: &api)
        WebhookDeliveryRoutes(context: context).register(on: &api)
        router = api.router
    }
}
