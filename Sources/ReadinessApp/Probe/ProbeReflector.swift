import Logging
import STUNReflector
import Sockets

/// The service's STUN reflector, built from its configuration.
enum ProbeReflector {
    /// Binds the configured listen addresses; nil when the reflector is off. A bind failure of a
    /// required address stops the start, as a taken HTTP port does; one of the default's UDP 443
    /// is one warning line, since the service still works without it (the rule it serves reads
    /// unknown, which `/readyz` and the agent plans then say).
    static func make(configuration: AppConfiguration, logger: Logger) throws -> STUNReflector? {
        let addresses = try configuration.reflectorListen.socketAddresses(
            httpHost: configuration.host, defaultPorts: configuration.reflectorDefaultPorts)
        guard !addresses.required.isEmpty || !addresses.wherePermitted.isEmpty else { return nil }
        let reflector = try STUNReflector(
            configuration: ReflectorConfiguration(
                listen: addresses.required, listenWherePermitted: addresses.wherePermitted, limits: configuration.reflectorLimits),
            logger: logger)
        let status = ReflectorStatus(reflector)
        if let note = status.note {
            logger.warning("\(note)", metadata: [
                "unbound": "\(reflector.unboundAddresses.map { "\($0.address): \($0.reason)" }.joined(separator: "; "))",
            ])
        }
        return reflector
    }
}
