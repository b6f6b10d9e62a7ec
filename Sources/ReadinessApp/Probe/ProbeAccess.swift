import HTTPServer

/// Who may run the bandwidth probes: agents (what they are for) and admins (checking a site
/// by hand). `read` tokens may not: a probe moves up to 64 MiB and is no read of data.
enum ProbeAccess {
    static func require(_ request: HTTPRequest, context: AppContext) async throws {
        let principal = try await context.authenticator.authenticate(request)
        guard principal.scope == .agent || principal.scope == .admin else {
            throw HTTPError(
                status: .forbidden, detail: "this operation needs a token with the 'agent' or 'admin' scope",
                problem: ProblemTypes.forbidden)
        }
    }
}
