// The service's answers the agent tests read while setting up a site, and after a run.

/// `POST /v1/sites`: the site made.
struct AgentSiteAnswer: Decodable {
    let id: String
}

/// `POST /v1/sites/{id}/agents`: the agent made and its token, shown this once.
struct AgentCreatedAnswer: Decodable {
    struct Agent: Decodable {
        let id: String
    }

    let token: String
    let agent: Agent
}

/// `GET /v1/sites/{id}/assessment`, as far as a run's findings.
struct AgentAssessmentAnswer: Decodable {
    struct Finding: Decodable {
        let code: String
        let status: String
    }

    let findings: [Finding]
}
