import Foundation
import HTTPServer

/// `GET /v1/sites/{site_id}/remediation` and `GET /v1/remediation` (scope read, like the
/// assessments they are derived from): the change request for one site, or for a page of the
/// fleet with the filters and cursor of `GET /v1/assessments`. JSON, CSV or text by Accept.
struct RemediationRoutes: Sendable {
    let context: AppContext

    private var loader: RemediationLoader {
        RemediationLoader(database: context.database, policies: context.policies, clock: context.clock)
    }

    func register(on router: inout APIRouter) {
        router.get("/v1/sites/{site_id}/remediation", access: .read) { [self] request, principal, route in
            guard let format = RemediationFormat.negotiate(request.headers["accept"]) else { throw RemediationFormat.notAcceptable }
            let idText = route.parameters["site_id"]
            let site = try SiteDirectory.readableID(idText, by: principal)
            guard let remediation = try await loader.load([site]).first else { throw SiteNotFound(idText) }
            switch format {
            case .json: return try APIJSON.response(remediation)
            case .csv: return Self.text(RemediationCSV.body([remediation]), format)
            case .text: return Self.text(RemediationText.body([remediation]), format)
            }
        }

        router.get("/v1/remediation", access: .read) { [self] request, _, _ in
            guard let format = RemediationFormat.negotiate(request.headers["accept"]) else { throw RemediationFormat.notAcceptable }
            let filter = try FleetFilter(request)
            let pageRequest = try PageRequest(request)
            let after = try pageRequest.after(as: UUID.init(uuidString:))
            let sites = try await FleetQuery.page(
                filter, after: after, limit: pageRequest.limit, now: context.clock(), database: context.database)
            let ids = sites.compactMap { UUID(uuidString: $0.siteID) }
            let page = Page(fetched: try await loader.load(ids), limit: pageRequest.limit, key: \.siteID)
            var response = try page.response(for: request)
            switch format {
            case .json: break
            case .csv:
                response.body = Array(RemediationCSV.body(page.items).utf8)
                response.headers["Content-Type"] = format.contentType
            case .text:
                response.body = Array(RemediationText.body(page.items).utf8)
                response.headers["Content-Type"] = format.contentType
            }
            return response
        }
    }

    private static func text(_ body: String, _ format: RemediationFormat) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: ["Content-Type": format.contentType], body: Array(body.utf8))
    }
}
