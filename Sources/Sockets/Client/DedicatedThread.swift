import Foundation

/// Runs blocking work (name resolution, `poll`, long reads) on a thread of its own, so a probe
/// that waits seconds for a timeout never holds one of the few threads of Swift's cooperative
/// pool that every other task needs.
public enum DedicatedThread {
    public static func run<T: Sendable>(
        name: String = "readiness-blocking", _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.start()
        }
    }
}
