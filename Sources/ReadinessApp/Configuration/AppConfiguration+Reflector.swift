import Foundation
import STUNReflector
import Sockets

/// Where the UDP reflector listens.
public enum ReflectorListen: Sendable, Equatable {
    case off
    /// The HTTP host, UDP port ``AppConfiguration/defaultReflectorPort`` and, where the process
    /// may bind it, ``AppConfiguration/defaultReflectorPortWherePermitted``.
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

    /// The socket addresses to bind; names resolve to every address they have. Listed
    /// addresses are all required; the default's second port is bound where permitted.
    func socketAddresses(httpHost: String, defaultPorts: ReflectorDefaultPorts = ReflectorDefaultPorts()) throws(SocketError) -> ReflectorAddresses {
        switch self {
        case .off:
            return ReflectorAddresses(required: [], wherePermitted: [])
        case .httpHost:
            return ReflectorAddresses(
                required: try Self.resolve([(httpHost, defaultPorts.required)]),
                wherePermitted: try Self.resolve(defaultPorts.wherePermitted.map { (httpHost, $0) }))
        case .addresses(let list):
            return ReflectorAddresses(required: try Self.resolve(list.compactMap(SocketAddress.splitHostPort)), wherePermitted: [])
        }
    }

    private static func resolve(_ entries: [(host: String, port: UInt16)]) throws(SocketError) -> [SocketAddress] {
        var addresses: [SocketAddress] = []
        for entry in entries {
            for address in try SocketAddress.resolve(host: entry.host, port: entry.port) where !addresses.contains(address) {
                addresses.append(address)
            }
        }
        return addresses
    }
}

/// The addresses of a ``ReflectorListen``: those that must be bound and those bound where permitted.
struct ReflectorAddresses: Equatable {
    var required: [SocketAddress]
    var wherePermitted: [SocketAddress]
}

/// The ports of ``ReflectorListen/httpHost``; tests swap in free ports.
struct ReflectorDefaultPorts: Sendable {
    /// STUN's port (RFC 8489 §18.6): a bind failure stops the start.
    var required = UInt16(AppConfiguration.defaultReflectorPort)
    /// UDP 443, which the seed's minimal configuration requires open ("Allow outbound TCP/UDP
    /// connections on port 443"): without a reflector there, no agent can test it. It needs
    /// privilege on most hosts, so a failure to bind it is a warning, not a failed start.
    var wherePermitted: [UInt16] = [UInt16(AppConfiguration.defaultReflectorPortWherePermitted)]
}

extension AppConfiguration {
    /// STUN's port (RFC 8489 §18.6): where the reflector listens by default, and what plans name
    /// when it is off and no port is configured.
    public static let defaultReflectorPort = 3478
    /// The reflector's second default port, bound where the process may (see ``ReflectorDefaultPorts``).
    public static let defaultReflectorPortWherePermitted = 443

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
