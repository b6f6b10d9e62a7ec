/// A site's change request as `GET /v1/sites/{id}/remediation` answers it in JSON (and
/// `GET /v1/remediation` lists): for each tier, the changes each team must make.
struct RemediationAnswer: Decodable {
    struct Change: Decodable {
        struct Destinations: Decodable {
            let hostPatterns: [String]?
            let cidrs: [String]?
        }

        let why: [String]
        let `protocol`: String?
        let port: Int?
        let destinations: Destinations?
    }

    /// A rule no result has decided yet, with what would check it.
    struct Verification: Decodable {
        let code: String
    }

    let siteId: String
    let verdict: String
    /// Team name to that team's changes, every team present.
    let minimal: [String: [Change]]
    let optimal: [String: [Change]]
    let toVerify: [Verification]
}

/// A page of `GET /v1/remediation`.
struct RemediationListAnswer: Decodable {
    struct Item: Decodable {
        let siteId: String
    }

    let items: [Item]
}
