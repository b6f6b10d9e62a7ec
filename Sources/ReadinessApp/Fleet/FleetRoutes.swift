import Foundation
import HTTPServer

/// The fleet views (scope read): `GET /v1/assessments` (JSON or CSV), `GET /v1/fleet/summary`,
/// `GET /v1/fleet/history`.
struct FleetRoutes: Sendable {
    let context: AppContext

    func register(on router: inout APIRouter) {
        router.get("/v1/assessments", access: .read) { [context] request, _, _ in
            let filter = try FleetFilter(request)
            let pageRequest = try PageRequest(request)
            let after = try pageRequest.after(as: UUID.init(uuidString:))
            let fetched = try await FleetQuery.page(
                filter, after: after, limit: pageRequest.limit, now: context.clock(), database: context.database)
            let page = Page(fetched: fetched, limit: pageRequest.limit, key: \.siteID)
            return FleetCSV.isRequested(request) ? try FleetCSV.response(page, for: request) : try page.response(for: request)
        }

        router.get("/v1/fleet/summary", access: .read) { [context] _, _, _ in
            return try APIJSON.response(try await FleetSummary.load(now: context.clock(), database: context.database))
        }

        router.get("/v1/fleet/history", access: .read) { [context] request, _, _ in
            let range = try TimeRange(request, now: context.clock())
            let bucket = try HistoryBucket.parse(request, allowed: [.hour, .day])
            return try APIJSON.response(try await FleetHistory.load(range: range, bucket: bucket, database: context.database))
        }
    }
}
