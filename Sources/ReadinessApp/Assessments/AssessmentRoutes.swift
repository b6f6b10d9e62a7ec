import Foundation
import HTTPServer

/// `GET /v1/sites/{site_id}/assessment`: the site's current assessment, conditional on its
/// ETag (RFC 9110 §13.1.2: If-None-Match → 304 while nothing changed).
///
/// Served from ``AssessmentCache``: with a cached principal and a cached entry a request makes
/// no database round trip and encodes no JSON. A replica may serve an assessment up to
/// `AssessmentCache.maxAge` (1 s) old; see the cache for the exact guarantee.
struct AssessmentRoutes: Sendable {
    let context: AppContext
    let cache: AssessmentCache

    init(context: AppContext) {
        self.context = context
        cache = context.assessments
    }

    func register(on router: inout APIRouter) {
        router.get("/v1/sites/{site_id}/assessment", access: .read) { [context, cache] request, principal, requestContext in
            let idText = requestContext.parameters["site_id"]
            let site = try SiteDirectory.readableID(idText, by: principal)
            let current = try await cache.current(site)
            guard let current else { throw SiteNotFound(idText) }
            let representation = current.representation(at: context.clock())
            if ETagMatch.matches(request.headers["if-none-match"], etag: representation.etag) {
                return HTTPResponse(status: HTTPStatus(304), headers: ["ETag": representation.etag])
            }
            // The cached bytes are shared, not copied: `[UInt8]` is copy-on-write.
            return HTTPResponse(
                status: .ok, headers: ["ETag": representation.etag, "Content-Type": "application/json"],
                body: representation.body)
        }
    }
}

/// If-None-Match (RFC 9110 §13.1.2) uses the weak comparison: `W/` prefixes are ignored, `*`
/// matches any current representation.
enum ETagMatch {
    static func matches(_ header: String?, etag: String) -> Bool {
        guard let header else { return false }
        for candidate in header.split(separator: ",") {
            // OWS is space or tab (RFC 9110 §5.6.3); trimmed on the Substring because Foundation's
            // `trimmingCharacters` bridges through NSString on Linux and costs more than the lookup.
            var tag = candidate.drop { $0 == " " || $0 == "\t" }
            while let last = tag.last, last == " " || last == "\t" { tag.removeLast() }
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            if tag == etag { return true }
        }
        return false
    }
}
