import Foundation

/// Runs a blocking call (a socket connect or read, a child process, a libpq round trip) on a
/// thread of its own and suspends the calling task until it returns.
///
/// Why: Swift's cooperative pool has one thread per core, two on the test machine. A test
/// that blocks one of them on a read holds it for as long as the read waits; with the suite
/// running in parallel, two such tests hold the whole pool, and the server tasks they wait
/// for (async handlers, admission checks, the service's database work) cannot run until the
/// reads time out. A dedicated thread costs the pool nothing while it waits.
///
/// Expectations (`#expect`) belong in the calling task, not in `work`: a bare thread carries
/// no test context, so an issue recorded there would not be attributed to the test.
public func onDedicatedThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// ``onDedicatedThread(_:)`` for calls that cannot fail.
public func onDedicatedThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
