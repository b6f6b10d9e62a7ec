import Logging
import STUNReflector
import Sockets

/// The service's STUN reflector, built from its configuration.
enum ProbeReflector {
    /// Binds the configured listen addresses; nil when the reflector is off. A bind failure
    /// stops the start, as a taken HTTP port does.
    static func make(configuration: AppConfiguration, logger: Logger) throws -> STUNReflector? {
        let addresses = try configuration.reflectorListen.socketAddresses(httpHost: configuration.host)
        guard !addresses.isEmpty else { return nil }
        return try STUNReflector(configuration: ReflectorConfiguration(listen: addresses, limits: configuration.reflectorLimits), logger: logger)
    }
}
