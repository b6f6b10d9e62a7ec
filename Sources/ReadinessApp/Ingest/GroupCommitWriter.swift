import Foundation
import Postgres
import SystemClock

/// Group commit: concurrent uploads queue here and are committed many to a transaction: with
/// set-based statements for the whole group when every upload is new, else each upload inside
/// its own SAVEPOINT so one upload's failure rolls back only that upload
/// (GroupCommitWriter+WriteGroup). One durable commit (one WAL flush) then answers many
/// requests; a transaction per request would be bound by fsync latency. The queues hold only
/// in-flight requests, so replicas stay stateless: a crash loses nothing that was answered.
///
/// Uploads are split into lanes by site, one writer per lane. Every group locks its sites'
/// rows until it commits; lanes that could share a site would queue behind each other's
/// commits (measured: the lock statement averaged 48 ms with three writers over one queue),
/// while disjoint lanes commit side by side and overlap one lane's WAL flush with another's work.
package final class GroupCommitWriter: Sendable {
    typealias Reply = Result<[UploadOutcome], UploadFailure>

    private let lanes: [CommitLane]

    /// `lanes` transactions in flight at most, each holding one pool connection. Two lanes
    /// measured best on the 2-core benchmark machine (scripts/bench-api.sh, 64 connections):
    /// one lane's commit (its WAL flush) overlaps the other's work, while each group stays
    /// large; a group's fixed cost (round trips, statement start-up, the rollup trigger) is
    /// then shared by more results. Four lanes gave ~10 % fewer results/s and ~25 % more
    /// PostgreSQL CPU per result, one lane ~25 % fewer results/s (indicative: the machine
    /// was shared with other work).
    ///
    /// `doorbell` is rung after each commit that wrote change rows (webhook events may wait).
    init(
        database: PostgresPool, metrics: IngestMetrics, doorbell: OutboxDoorbell? = nil, lanes: Int = 2,
        maxGroupResults: Int = 1000
    ) {
        let windows = SiteWindowCache()
        self.lanes = (0..<max(1, lanes)).map { _ in
            CommitLane(database: database, windows: windows, metrics: metrics, doorbell: doorbell, maxGroupResults: maxGroupResults)
        }
    }

    /// What a submitted upload's completion gets: its reply, or the error that failed its
    /// whole group (a lost connection, an unavailable database).
    typealias Completion = @Sendable (Result<Reply, any Error>) -> Void

    /// Queues `upload`; `completion` runs once, as soon as its group committed or failed, on
    /// the lane's writer thread (or the task that found no connection to write with). It must
    /// be quick: the next group waits for it. The upload route answers from there instead of
    /// resuming a task (no hop to the task pool).
    func submit(_ upload: PreparedUpload, completion: @escaping Completion) {
        // A site always maps to the same lane (its UUID's random bits spread sites evenly).
        let bytes = upload.siteID.uuid
        let lane = (Int(bytes.14) << 8 | Int(bytes.15)) % lanes.count
        lanes[lane].enqueue(upload, completion: completion)
    }
}

/// One lane's queue and its writer: while the writer's transaction runs, new uploads gather,
/// and the writer takes them all (up to `maxGroupResults` results) as its next group.
///
/// The writer leases one connection and stays on that connection's thread for as long as
/// uploads keep coming: group after group is written there, and each upload's completion runs
/// there as soon as its group committed. A busy lane thus costs no hop back to the task pool
/// and no pool lease between groups; an upload costs one wake-up of whoever answers it.
private final class CommitLane: @unchecked Sendable {  // all state behind `lock`
    private struct Pending {
        let upload: PreparedUpload
        let completion: GroupCommitWriter.Completion
    }

    private let database: PostgresPool
    private let windows: SiteWindowCache
    private let metrics: IngestMetrics
    private let doorbell: OutboxDoorbell?
    private let maxGroupResults: Int
    private let lock = NSLock()
    private var queue: [Pending] = []
    private var writing = false

    init(database: PostgresPool, windows: SiteWindowCache, metrics: IngestMetrics, doorbell: OutboxDoorbell?, maxGroupResults: Int) {
        self.database = database
        self.windows = windows
        self.metrics = metrics
        self.doorbell = doorbell
        self.maxGroupResults = maxGroupResults
    }

    func enqueue(_ upload: PreparedUpload, completion: @escaping GroupCommitWriter.Completion) {
        metrics.queueChanged(by: 1)  // before it can be taken: the gauge never dips below 0
        lock.lock()
        queue.append(Pending(upload: upload, completion: completion))
        let start = !writing
        writing = true
        lock.unlock()
        if start { Task { await self.drain() } }
    }

    /// Writes until the queue is empty. A connection lost mid-way fails only the group it was
    /// writing; the rest waits for a new one. When no connection can be had at all (the
    /// database is down, the pool exhausted or shut down), every queued upload gets that error
    /// rather than waiting, and the writer retires; the next upload starts a new one.
    private func drain() async {
        while true {
            do {
                let lost = try await database.withConnection { connection in
                    while let taken = self.takeGroup() {
                        let group = self.droppingExpired(taken)
                        if group.isEmpty { continue }
                        if !self.write(group, on: connection) { return true }
                    }
                    return false
                }
                if !lost { return }
            } catch {
                failQueued(error)
                return
            }
        }
    }

    /// Answers every upload of the group; false when the connection was lost on the way.
    private func write(_ group: [Pending], on connection: PostgresConnection) -> Bool {
        let started = MonotonicTime.now()
        do {
            let written = try GroupCommitWriter.writeGroup(group.map(\.upload), windows: windows, on: connection)
            metrics.recordCommitted(written.replies, duration: MonotonicTime.now().duration(since: started))
            windows.remember(written.windows)
            for (pending, reply) in zip(group, written.replies) { pending.completion(.success(reply)) }
            // After the answers: the ring is a lock and at most one resumption, off their path.
            if written.wroteChanges { doorbell?.ring() }
            return true
        } catch {
            metrics.recordFailed()
            for pending in group { pending.completion(.failure(error)) }
            return !((error as? PostgresError)?.isConnectionLost ?? false)
        }
    }

    /// The next group (in arrival order), or nil after the writer retired because the queue is empty.
    private func takeGroup() -> [Pending]? {
        lock.lock()
        defer { lock.unlock() }
        guard !queue.isEmpty else {
            writing = false
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
        metrics.queueChanged(by: -count)
        return group
    }

    /// Uploads whose request's deadline passed while they queued: their clients were answered
    /// 503 already, so they are not written (a retry writes them; run_id makes that safe).
    private func droppingExpired(_ group: [Pending]) -> [Pending] {
        guard group.contains(where: { $0.upload.deadline?.hasExpired == true }) else { return group }
        let (expired, live) = (group.filter { $0.upload.deadline?.hasExpired == true },
                               group.filter { $0.upload.deadline?.hasExpired != true })
        metrics.recordAbandoned(expired.count)
        for pending in expired { pending.completion(.failure(DeadlineExceeded.abandoned)) }
        return live
    }

    private func failQueued(_ error: any Error) {
        let failed: [Pending] = lock.withLock {
            writing = false
            defer { queue.removeAll() }
            return queue
        }
        metrics.queueChanged(by: -failed.count)
        for pending in failed { pending.completion(.failure(error)) }
    }
}
