/// Who may run the bandwidth probes: agents (what they are for) and admins (checking a site
/// by hand). `read` tokens may not: a probe moves up to 64 MiB and is no read of data.
enum ProbeAccess {
    static let runners = RouteAccess.anyOf(
        [.agent, .admin], forbidden: "this operation needs a token with the 'agent' or 'admin' scope")
}
