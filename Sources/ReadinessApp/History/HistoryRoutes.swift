import Foundation
import HTTPServer

/// `GET /v1/sites/{site_id}/history` and `GET /v1/sites/{site_id}/changes` (scope read).
struct HistoryRoutes: Sendable {
    let context: AppContext

    func register(on router: inout APIRouter) {
        router.get("/v1/sites/{site_id}/history", access: .read) { [context] request, principal, requestContext in
            let range = try TimeRange(request, now: context.clock())
            let bucket = try HistoryBucket.parse(request)
            let site = try await context.sites.require(requestContext.parameters["site_id"], readableBy: principal)
            let points = try await HistoryQuery(database: context.database, now: context.clock()).points(site: site.id, range: range, bucket: bucket)
            return try APIJSON.response(SiteHistory(siteID: site.id.uuidString.lowercased(), bucket: bucket, points: points))
        }

        router.get("/v1/sites/{site_id}/changes", access: .read) { [context] request, principal, requestContext in
            let page = try PageRequest(request)
            // Cursors of this list are the decimal sequence of the last change shown.
            let before = try page.after(as: { Int($0) })
            let site = try await context.sites.require(requestContext.parameters["site_id"], readableBy: principal)
            let fetched = try await SiteChange.page(site: site.id, before: before, limit: page.limit, database: context.database)
            return try Page(fetched: fetched, limit: page.limit, key: { String($0.sequence) }).response(for: request)
        }
    }
}
