import Foundation
import Logging

/// One pooled connection: a dedicated thread that owns a libpq session and runs jobs
/// one at a time. libpq blocks, so it must never run on Swift's cooperative thread pool;
/// callers suspend on a continuation while this thread does the work.
///
/// `@unchecked Sendable`: the only mutable state shared between threads (`jobs`,
/// `isStopping`) is read and written under `condition`; the `PGconn` itself lives in
/// `WorkerSession`, a local of the worker thread, and never leaves it.
final class ConnectionWorker: @unchecked Sendable {
    typealias Job = @Sendable (WorkerSession) -> Void

    let id: Int
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var isStopping = false

    init(id: Int, configuration: PostgresConfiguration, logger: Logger) {
        self.id = id
        var logger = logger
        logger[metadataKey: "postgres.connection"] = "\(id)"
        let threadLogger = logger
        let thread = Thread { [self] in
            let session = WorkerSession(configuration: configuration, logger: threadLogger)
            while let job = self.nextJob() {
                job(session)
            }
            session.close()
        }
        thread.name = "postgres-\(id)"
        thread.start()
    }

    /// Runs `body` on the worker thread and returns its result to the awaiting task.
    func run<T: Sendable>(_ body: @escaping @Sendable (WorkerSession) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue { session in
                continuation.resume(with: Result { try body(session) })
            }
        }
    }

    /// Closes the session on the worker thread, then ends the thread.
    func close() async {
        _ = try? await run { session in session.close() }
        stop()
    }

    /// Finishes queued jobs, then closes the session and ends the thread.
    func stop() {
        condition.lock()
        isStopping = true
        condition.signal()
        condition.unlock()
    }

    private func enqueue(_ job: @escaping Job) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func nextJob() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !isStopping {
            condition.wait()
        }
        return jobs.isEmpty ? nil : jobs.removeFirst()
    }
}
