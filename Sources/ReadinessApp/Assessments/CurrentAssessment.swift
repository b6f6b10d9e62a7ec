import Foundation
import ReadinessScoring

/// One site's `GET …/assessment` answer, encoded once per version of its stored assessment:
/// the fresh form and, when it can turn stale, the stale form with the moment it applies.
/// Both are deterministic (the stale form is dated when it went stale, not at the request), so
/// equal state gives equal bytes and the choice between them is the only per-request work.
/// A class so that handing a cached one to a request is one retain, not one per field.
final class CurrentAssessment: Sendable {
    struct Representation: Sendable, Equatable {
        /// Quoted, ready for the `ETag` field (RFC 9110 §8.8.3).
        let etag: String
        let body: [UInt8]
    }

    struct StaleForm: Sendable {
        /// The end of the freshness window: stale strictly after this instant.
        let after: Date
        let representation: Representation
    }

    /// `site_assessments.etag` of the row this was built from; nil for a site without one.
    let storedETag: String?
    let fresh: Representation
    let stale: StaleForm?

    /// The representation as of `now`: staleness is decided here, per request, never cached.
    func representation(at now: Date) -> Representation {
        if let stale, now > stale.after { return stale.representation }
        return fresh
    }

    /// From a stored assessment; turning stale changes the representation, so it changes the tag.
    init(site: UUID, stored: SiteAssessment, storedETag: String) throws {
        self.storedETag = storedETag
        fresh = try Self.encode(site, stored, tag: storedETag)
        stale = try stored.staleAfter.map { after in
            StaleForm(after: after, representation: try Self.encode(site, stored.turnedStale(at: after), tag: storedETag + "-stale"))
        }
    }

    /// For a site that never sent a result: an empty (already stale) assessment under its policy.
    init(site: UUID, empty: SiteAssessment, tag: String) throws {
        storedETag = nil
        fresh = try Self.encode(site, empty, tag: tag)
        stale = nil
    }

    private static func encode(_ site: UUID, _ assessment: SiteAssessment, tag: String) throws -> Representation {
        let document = SiteAssessmentDocument(siteID: site, assessment: assessment)
        return Representation(etag: "\"\(tag)\"", body: Array(try APIJSON.encoder.encode(document)))
    }

    /// What the cache charges for this entry against its byte budget.
    var byteCount: Int { fresh.body.count + (stale?.representation.body.count ?? 0) }
}
