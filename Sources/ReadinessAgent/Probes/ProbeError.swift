import Sockets

/// The short error word a reachability entry carries (`timeout`, `refused`, …): stable words
/// a portal can count, not the system's sentence.
enum ProbeError {
    static func word(for error: any Error) -> String {
        if let socket = error as? SocketError {
            switch socket.kind {
            case .timedOut: return "timeout"
            case .refused: return "refused"
            case .unreachable: return "unreachable"
            case .reset: return "reset"
            case .other: return socket.operation == "connect" ? "connect failed" : "error"
            }
        }
        if error is HostResolver.ResolutionError { return "dns" }
        if error is TLSError { return "tls" }
        return "error"
    }
}
