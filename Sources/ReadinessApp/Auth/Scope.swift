/// What a token may do. `admin` includes `read`; `agent` is bound to one site and may only
/// upload that site's results and fetch its probe plan.
public enum Scope: String, Sendable, Codable, CaseIterable {
    case admin
    case read
    case agent

    /// Whether a token of this scope may call an operation that requires `required`.
    func grants(_ required: Scope) -> Bool {
        switch (self, required) {
        case (.admin, .admin), (.admin, .read), (.read, .read), (.agent, .agent): true
        default: false
        }
    }
}
