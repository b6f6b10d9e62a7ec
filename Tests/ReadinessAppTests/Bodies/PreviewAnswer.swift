/// The answer to `POST /v1/policies/{name}/preview`: the fleet's verdicts under the current
/// policy and the candidate, and a page of the sites whose verdict the candidate changes.
struct PreviewAnswer: Decodable {
    struct ChangedSite: Decodable {
        let siteId: String
        let before: Verdict
        let after: Verdict
        let findings: [Finding]
    }

    struct Verdict: Decodable {
        let verdict: String
    }

    struct Finding: Decodable {
        let code: String
    }

    /// A finding that starts (or stops) failing somewhere, and at how many sites.
    struct FindingChange: Decodable {
        let code: String
        let sites: Int
    }

    let verdictsBefore: [String: Int]
    let verdictsAfter: [String: Int]
    let sites: Int
    let changedSites: Int
    /// Null for a candidate document; the version previewed otherwise.
    let candidateVersion: Int?
    let rulesReadFromBodies: [String]
    let resultsReadFromBodies: Int
    let findingsAppearing: [FindingChange]
    let findingsClearing: [FindingChange]
    let items: [ChangedSite]
    let nextCursor: String?
}
