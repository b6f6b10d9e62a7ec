/// The answer to `POST /v1/sites/{id}/rescore`: the site's history and assessment under
/// another policy version, computed and not stored.
struct RescoreAnswer: Decodable {
    struct Policy: Decodable {
        let version: Int
    }

    /// A bucket of the history, as `GET …/history` writes it (every member present).
    struct Point: Decodable {
        let verdict: String
        let rttMsP50: Double?
        let resultCount: Int
    }

    /// The API's `SiteAssessment`, as `GET …/assessment` answers it.
    struct Assessment: Decodable {
        struct Confidence: Decodable {
            let agentCount: Int
        }

        let siteId: String
        let policy: Policy
        let verdict: String
        let lastVerdict: String?
        let confidence: Confidence
    }

    let policy: Policy
    let points: [Point]
    let assessment: Assessment
}

/// `GET /v1/sites/{id}/history`, read to show a rescore stored nothing.
struct RescoreHistoryAnswer: Decodable {
    let points: [RescoreAnswer.Point]
}
