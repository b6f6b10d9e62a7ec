import Foundation

/// Where tokens live. Only hashes go in or come out; a token itself is never stored.
protocol TokenStore: Sendable {
    /// The principal for a token hash, or nil when unknown, revoked or expired at `now`.
    func principal(forHash hash: [UInt8], now: Date) async throws -> Principal?
    /// Records use; called at most once a minute per token (see ``Authenticator``).
    func touch(tokenID: UUID, at: Date) async throws
}
