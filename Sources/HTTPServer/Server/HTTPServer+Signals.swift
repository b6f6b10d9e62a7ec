import Dispatch
import Foundation

extension HTTPServer {
    /// Turns SIGTERM and SIGINT into ``shutdown(deadline:)``. Signals are received through
    /// dispatch sources, so no work happens inside an async-signal handler.
    public func installSignalHandlers(deadline: Duration = .seconds(10)) {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                shared.logger.info("shutdown signal received", metadata: ["signal": .stringConvertible(signalNumber)])
                Task { await self.shutdown(deadline: deadline) }
            }
            source.resume()
            SignalSources.keep(source)
        }
    }
}

/// Dispatch sources are cancelled when released; these live for the process.
enum SignalSources {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func keep(_ source: any DispatchSourceSignal) {
        lock.lock()
        sources.append(source)
        lock.unlock()
    }
}
