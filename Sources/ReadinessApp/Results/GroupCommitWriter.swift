import Foundation
import HTTPServer
import Postgres

/// Group commit: concurrent uploads queue here and a writer commits up to `maxGroup` of them
/// in one transaction, each inside its own SAVEPOINT so one upload's failure rolls back only
/// that upload. One durable commit (one WAL flush) then answers many requests; a transaction
/// per request would be bound by fsync latency. The queue holds only in-flight requests, so
/// replicas stay stateless: a crash loses nothing that was answered.
final class GroupCommitWriter: @unchecked Sendable {  // all state behind `lock`
    typealias Reply = Result<[UploadOutcome], HTTPError>

    private struct Pending {
        let upload: PreparedUpload
        let continuation: CheckedContinuation<Result<Reply, any Error>, Never>
    }

    private let database: PostgresPool
    private let maxWriters: Int
    private let maxGroupResults: Int
    private let lock = NSLock()
    private var queue: [Pending] = []
    private var writers = 0

    /// `maxWriters` transactions in flight: while one waits for its commit's fsync, the next
    /// group is being written. Each holds one pool connection.
    init(database: PostgresPool, maxWriters: Int = 3, maxGroupResults: Int = 1000) {
        self.database = database
        self.maxWriters = maxWriters
        self.maxGroupResults = maxGroupResults
    }

    /// The upload's outcomes once its group committed, or its own rejection.
    func submit(_ upload: PreparedUpload) async throws -> Reply {
        let outcome = await withCheckedContinuation { continuation in
            enqueue(Pending(upload: upload, continuation: continuation))
        }
        return try outcome.get()
    }

    private func enqueue(_ pending: Pending) {
        lock.lock()
        queue.append(pending)
        let start = writers < maxWriters
        if start { writers += 1 }
        lock.unlock()
        if start { Task { await self.drain() } }
    }

    private func drain() async {
        while let group = takeGroup() {
            let uploads = group.map(\.upload)
            do {
                let replies = try await database.withTransaction { tx in try Self.write(uploads, on: tx) }
                for (pending, reply) in zip(group, replies) { pending.continuation.resume(returning: .success(reply)) }
            } catch {
                for pending in group { pending.continuation.resume(returning: .failure(error)) }
            }
        }
    }

    /// The next group (in arrival order), or nil after this writer retired because the queue is empty.
    private func takeGroup() -> [Pending]? {
        lock.lock()
        defer { lock.unlock() }
        guard !queue.isEmpty else {
            writers -= 1
            return nil
        }
        var count = 0
        var results = 0
        while count < queue.count, count == 0 || results + queue[count].upload.results.count <= maxGroupResults {
            results += queue[count].upload.results.count
            count += 1
        }
        let group = Array(queue.prefix(count))
        queue.removeFirst(count)
        return group
    }
}
