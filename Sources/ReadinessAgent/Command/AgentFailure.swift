import JSON
import Foundation

/// Why a run did not end with an uploaded (or printed) result, with the exit code scripts
/// key on. The codes are sysexits(3)'s, so a service manager's retry logic understands them.
public enum AgentFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Bad flags or config (EX_USAGE, 64).
    case usage(String)
    /// The plan cannot be run (EX_DATAERR, 65).
    case planUnrunnable(String)
    /// The service rejected the result itself (EX_DATAERR, 65); it is not kept.
    case resultRejected(String)
    /// The service cannot be reached (EX_TEMPFAIL, 75); the result, if any, waits in the spool.
    case serverUnreachable(String)
    /// The service answered 429 or 503 with Retry-After: nothing is sent before `until`
    /// (EX_TEMPFAIL, 75); results wait in the spool.
    case backOff(String, until: Date)
    /// 401/403: the token is wrong, revoked, or not an agent's (EX_NOPERM, 77).
    case tokenRejected(String)
    /// The spool or a file the agent needs cannot be written or read (EX_CANTCREAT, 73).
    case storage(String)
    /// A bug (EX_SOFTWARE, 70).
    case software(String)

    public var exitCode: Int32 {
        switch self {
        case .usage: 64
        case .planUnrunnable, .resultRejected: 65
        case .storage: 73
        case .serverUnreachable, .backOff: 75
        case .tokenRejected: 77
        case .software: 70
        }
    }

    /// One line, naming the fault and never the token or a result body.
    public var description: String {
        switch self {
        case let .usage(why): why
        case let .planUnrunnable(why): why
        case let .resultRejected(why): "the service rejected the result: \(why)"
        case let .serverUnreachable(why): "server unreachable: \(why)"
        case let .backOff(why, until): "the service asked to wait until \(RFC3339Timestamp.format(until)): \(why)"
        case let .tokenRejected(why): why
        case let .storage(why): why
        case let .software(why): "internal error: \(why)"
        }
    }

    static let revokedOrWrong = AgentFailure.tokenRejected("token rejected (revoked or wrong)")
}
