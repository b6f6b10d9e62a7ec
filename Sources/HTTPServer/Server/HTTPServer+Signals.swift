import Foundation
import ProcessSignals

extension HTTPServer {
    /// Turns the first SIGTERM or SIGINT into ``shutdown(deadline:)``, received on a thread of
    /// its own (see ``ShutdownSignals`` for why not a dispatch source).
    public func installSignalHandlers(deadline: Duration = .seconds(10)) throws {
        try ShutdownSignals.forward { [self] signalNumber in
            shared.logger.info("shutdown signal received", metadata: ["signal": .stringConvertible(signalNumber)])
            Task { await self.shutdown(deadline: deadline) }
        }
    }
}
