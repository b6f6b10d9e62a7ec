import Foundation

/// A stored site assessment (`site_assessments.assessment`) decoded once: the compact form,
/// or the full form of rows written before it.
///
/// One parse, where reading the form first and then the document took two or three (a
/// `JSONDecoder` parses the whole document whatever it is asked for): building a webhook
/// event's body decodes its site's assessment, and perf showed those parses as the largest
/// share of the service's own delivery CPU beside ingest (`make bench-webhooks`).
public enum StoredAssessmentForm: Sendable {
    case compact(CompactSiteAssessment)
    case full(SiteAssessment)

    /// The compact form's first member, `compact`, is the one the full form lacks: a document
    /// without it is decoded as the full form.
    public init(stored bytes: [UInt8]) throws {
        let data = Data(bytes), decoder = JSONDecoder()
        do {
            self = .compact(try decoder.decode(CompactSiteAssessment.self, from: data))
        } catch DecodingError.keyNotFound(let key, let context)
            where key.stringValue == CompactSiteAssessment.CodingKeys.compact.stringValue && context.codingPath.isEmpty {
            self = .full(try decoder.decode(SiteAssessment.self, from: data))
        }
    }
}
