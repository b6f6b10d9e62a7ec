import ReadinessContract
import Sockets
import SystemCrypto

/// The reason a reachability entry carries, in the contract's vocabulary (`ProbeFailure`):
/// stable words a portal can count and scoring can read, not the system's sentence. A name
/// that did not resolve must say `dns`: the service then reports a resolver fault instead of
/// a blocked port.
enum ProbeError {
    static func failure(for error: any Error) -> ProbeFailure {
        if let socket = error as? SocketError {
            switch socket.kind {
            case .timedOut: return .timeout
            case .refused: return .refused
            case .unreachable: return .unreachable
            case .reset: return .reset
            case .other: return .other
            }
        }
        if error is HostResolver.ResolutionError { return .dns }
        if error is TLSError { return .tls }
        return .other
    }
}
