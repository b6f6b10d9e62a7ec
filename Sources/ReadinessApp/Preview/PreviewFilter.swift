import Foundation
import HTTPServer

/// Which sites of the policy a preview scores: the fleet listing's `region` and `tag`, and
/// `site_id` (a comma-separated list of site ids); they combine with AND.
struct PreviewFilter: Sendable, Equatable {
    /// Ids one request may name: the query stays under the request line's limit.
    static let maximumSiteIDs = 200

    var region: String?
    var tag: String?
    var siteIDs: [UUID]?

    init(region: String? = nil, tag: String? = nil, siteIDs: [UUID]? = nil) {
        self.region = region
        self.tag = tag
        self.siteIDs = siteIDs
    }

    /// Every bad parameter at once, as `/query/<name>` pointers.
    init(_ request: HTTPRequest) throws {
        var faults: [(pointer: String, detail: String)] = []
        region = request.query["region"]
        tag = request.query["tag"]
        for (name, value) in [("region", region), ("tag", tag)] where (value?.count ?? 0) > 255 {
            faults.append(("/query/\(name)", "must be at most 255 characters"))
        }
        if let list = request.query["site_id"] {
            let parts = list.split(separator: ",", omittingEmptySubsequences: false)
            let ids = parts.compactMap { UUID(uuidString: String($0).trimmingCharacters(in: .whitespaces)) }
            if ids.count != parts.count || ids.isEmpty {
                faults.append(("/query/site_id", "must be site ids separated by commas"))
            } else if ids.count > Self.maximumSiteIDs {
                faults.append(("/query/site_id", "names at most \(Self.maximumSiteIDs) sites"))
            }
            siteIDs = ids
        }
        guard faults.isEmpty else { throw RequestBody.validationProblem(faults) }
    }
}
