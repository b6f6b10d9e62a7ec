#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SocketError {
    /// What a failed client call means for a probe, without `errno` leaving the socket layer.
    public enum Kind: Sendable {
        case timedOut, refused, unreachable, reset, other
    }

    public var kind: Kind {
        switch code {
        case ETIMEDOUT: .timedOut
        case ECONNREFUSED: .refused
        case ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL: .unreachable
        case ECONNRESET, EPIPE: .reset
        default: .other
        }
    }
}

extension String {
    /// The text of a NUL-terminated C buffer.
    public init(nulTerminated buffer: [CChar]) {
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
