import Foundation
import STUNReflector
import Sockets

/// Where the UDP reflector listens.
public enum ReflectorListen: Sendable, Equatable {
    case off
    /// The HTTP host, UDP port ``AppConfiguration/defaultReflectorPort``.
    case httpHost
    /// `host:port` entries (a host may be a name; `[v6]:port` for IPv6 literals).
    case addresses([String])

    /// Parses `off` or a comma-separated `host:port` list; nil for anything else.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "off" {
            self = .off
            return
        }
        let entries = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !entries.isEmpty, entries.allSatisfy({ SocketAddress.splitHostPort($0) != nil }) else { return nil }
        self = .addresses(entries)
    }

    /// The socket addresses to bind; names resolve to every address they have.
    func socketAddresses(httpHost: String) throws(SocketError) -> [SocketAddress] {
        let entries: [(host: String, port: UInt16)]
        switch self {
        case .off: return []
        case .httpHost: entries = [(httpHost, UInt16(AppConfiguration.defaultReflectorPort))]
        case .addresses(let list): entries = list.compactMap(SocketAddress.splitHostPort)
        }
        var addresses: [SocketAddress] = []
        for entry in entries {
            for address in try SocketAddress.resolve(host: entry.host, port: entry.port) where !addresses.contains(address) {
                addresses.append(address)
            }
        }
        return addresses
    }
}

extension AppConfiguration {
    /// STUN's port (RFC 8489 §18.6): where the reflector listens by default, and what plans name
    /// when it is off and no port is configured.
    public static let defaultReflectorPort = 3478

    mutating func readReflectorSettings(_ environment: [String: String]) throws {
        if let value = environment["READINESS_REFLECTOR_LISTEN"], !value.isEmpty {
            guard let listen = ReflectorListen(parsing: value) else {
                throw ConfigurationError(variable: "READINESS_REFLECTOR_LISTEN", detail: "expected 'off' or a comma-separated host:port list, got '\(value)'")
            }
            reflectorListen = listen
        }
        if let value = environment["READINESS_REFLECTOR_RATE"] {
            reflectorLimits.packetsPerSecond = Double(try Self.integer(value, "READINESS_REFLECTOR_RATE", in: 1...1_000_000))
        }
        if let value = environment["READINESS_REFLECTOR_BURST"] {
            reflectorLimits.burst = Double(try Self.integer(value, "READINESS_REFLECTOR_BURST", in: 1...1_000_000))
        }
        if let value = environment["READINESS_REFLECTOR_MAX_ANSWER_AFTER_MS"] {
            reflectorLimits.maxAnswerAfterMilliseconds = UInt32(try Self.integer(value, "READINESS_REFLECTOR_MAX_ANSWER_AFTER_MS", in: 1...86_400_000))
        }
        if let value = environment["READINESS_REFLECTOR_MAX_PENDING"] {
            reflectorLimits.maxPendingTotal = try Self.integer(value, "READINESS_REFLECTOR_MAX_PENDING", in: 1...1_000_000)
        }
        if let value = environment["READINESS_REFLECTOR_MAX_PENDING_PER_SOURCE"] {
            reflectorLimits.maxPendingPerSource = try Self.integer(value, "READINESS_REFLECTOR_MAX_PENDING_PER_SOURCE", in: 1...100_000)
        }
    }
}
