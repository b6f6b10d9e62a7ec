import Foundation
import JSON

/// A stored site assessment (`site_assessments.assessment`) decoded once: the compact form,
/// or the full form of rows written before it.
///
/// One parse, where reading the form first and then the document took two or three: building
/// a webhook event's body decodes its site's assessment, and perf showed those parses as the
/// largest share of the service's own delivery CPU beside ingest (`make bench-webhooks`).
public enum StoredAssessmentForm: Sendable {
    case compact(CompactSiteAssessment)
    case full(SiteAssessment)

    /// The compact form's member `compact` is the one the full form lacks: a document without
    /// it is decoded as the full form. The compact form is read from the JSON module's tape
    /// (`CompactAssessmentReader`), the full form of old rows by `JSONDecoder`.
    public init(stored bytes: [UInt8]) throws {
        if let compact = try CompactAssessmentReader(tape: JSONTape.parse(bytes)).assessment() {
            self = .compact(compact)
        } else {
            self = .full(try JSONDecoder().decode(SiteAssessment.self, from: Data(bytes)))
        }
    }
}
