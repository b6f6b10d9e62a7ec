import Foundation
import Postgres

/// A commit group's new results, column by column, for the set-based statement: each column
/// one `PostgresArray` parameter in binary format, expanded server-side by `unnest`. The
/// bodies go in as their canonical bytes (json: validated and stored as sent), the compact
/// evaluations as text, nothing is escaped or quoted, and no figure needs a JSON spelling (NaN
/// travels as a float8).
/// nil when the group needs the savepoint fallback from the start: a run_id that repeats inside
/// the group (one upload is then a replay of another, or a conflict with it).
package struct SetBasedRows {
    /// Distinct sites in id order: the order their rows are locked in.
    let siteIDs: [UUID]
    // Every column's buffer is sized before the first row (see `init`): grown by doubling
    // from empty, the group's two dozen columns cost a hundred and more allocations and copies.
    var runID: PostgresArray<UUID>
    var siteID: PostgresArray<UUID>
    var agentID: PostgresArray<UUID>
    var contentHash: PostgresArray<[UInt8]>
    var startedAt: PostgresArray<Date>
    var finishedAt: PostgresArray<Date>
    var receivedAt: PostgresArray<Date>
    var body: PostgresArray<PostgresJSON>
    var policyName: PostgresArray<String>
    var policyVersion: PostgresArray<Int32>
    var verdict: PostgresArray<String>
    var score: PostgresArray<Int32>
    var mos: PostgresArray<Double>
    var transport: PostgresArray<String>
    var rttMs: PostgresArray<Double>
    var jitterMs: PostgresArray<Double>
    var lossPct: PostgresArray<Double>
    var downKbps: PostgresArray<Double>
    var upKbps: PostgresArray<Double>
    var evaluation: PostgresArray<PostgresText>
    var windowEntry: PostgresArray<String>
    /// Each agent that uploaded, with its newest receipt.
    var agents = PostgresArray<UUID>()
    var agentsSeenAt = PostgresArray<Date>()

    package init?(_ uploads: [PreparedUpload]) {
        var runIDs = Set<UUID>()
        var rows = 0, entryBytes = 0, hashBytes = 0, bodyBytes = 0, evaluationBytes = 0, policyBytes = 0, verdictBytes = 0, transportBytes = 0
        for upload in uploads {
            for prepared in upload.results {
                guard runIDs.insert(prepared.result.runID).inserted else { return nil }
                rows += 1
                hashBytes += prepared.contentHash.count
                bodyBytes += prepared.canonical.count
                evaluationBytes += prepared.storedEvaluation.count
                entryBytes += prepared.windowEntry?.utf8.count ?? 0
                policyBytes += prepared.evaluation.policy.utf8.count
                verdictBytes += prepared.evaluation.verdict.rawValue.utf8.count
                transportBytes += prepared.evaluation.transport?.rawValue.utf8.count ?? 0
            }
        }
        siteIDs = UUIDOrder.sorted(Set(uploads.map(\.siteID)))
        runID = PostgresArray(reservingElements: rows)
        siteID = PostgresArray(reservingElements: rows)
        agentID = PostgresArray(reservingElements: rows)
        contentHash = PostgresArray(reservingElements: rows, variableBytes: hashBytes)
        startedAt = PostgresArray(reservingElements: rows)
        finishedAt = PostgresArray(reservingElements: rows)
        receivedAt = PostgresArray(reservingElements: rows)
        body = PostgresArray(reservingElements: rows, variableBytes: bodyBytes)
        policyName = PostgresArray(reservingElements: rows, variableBytes: policyBytes)
        policyVersion = PostgresArray(reservingElements: rows)
        verdict = PostgresArray(reservingElements: rows, variableBytes: verdictBytes)
        score = PostgresArray(reservingElements: rows)
        mos = PostgresArray(reservingElements: rows)
        transport = PostgresArray(reservingElements: rows, variableBytes: transportBytes)
        rttMs = PostgresArray(reservingElements: rows)
        jitterMs = PostgresArray(reservingElements: rows)
        lossPct = PostgresArray(reservingElements: rows)
        downKbps = PostgresArray(reservingElements: rows)
        upKbps = PostgresArray(reservingElements: rows)
        evaluation = PostgresArray(reservingElements: rows, variableBytes: evaluationBytes)
        windowEntry = PostgresArray(reservingElements: rows, variableBytes: entryBytes)
        var lastSeen: [UUID: Date] = [:]
        for upload in uploads {
            for prepared in upload.results { append(prepared, of: upload) }
            if let agent = upload.agentID { lastSeen[agent] = max(lastSeen[agent] ?? upload.receivedAt, upload.receivedAt) }
        }
        agents = PostgresArray(reservingElements: lastSeen.count)
        agentsSeenAt = PostgresArray(reservingElements: lastSeen.count)
        for agent in UUIDOrder.sorted(lastSeen.keys) {
            agents.append(agent)
            agentsSeenAt.append(lastSeen[agent])
        }
    }

    private mutating func append(_ prepared: PreparedResult, of upload: PreparedUpload) {
        let result = prepared.result
        let evaluation = prepared.evaluation
        let figures = ResultFigures(result)
        runID.append(result.runID)
        siteID.append(upload.siteID)
        agentID.append(upload.agentID)
        contentHash.append(prepared.contentHash)
        startedAt.append(result.startedAt)
        finishedAt.append(result.finishedAt)
        receivedAt.append(upload.receivedAt)
        body.append(PostgresJSON(bytes: prepared.canonical))
        policyName.append(evaluation.policy)
        policyVersion.append(Int32(clamping: evaluation.policyVersion))
        verdict.append(evaluation.verdict.rawValue)
        score.append(evaluation.score.map { Int32(clamping: $0) })
        mos.append(evaluation.mos)
        transport.append(evaluation.transport?.rawValue)
        rttMs.append(figures.rttMs)
        jitterMs.append(figures.jitterMs)
        lossPct.append(figures.lossPct)
        downKbps.append(result.bandwidth?.downKbps)
        upKbps.append(result.bandwidth?.upKbps)
        self.evaluation.append(PostgresText(bytes: prepared.storedEvaluation))
        windowEntry.append(prepared.windowEntry)
    }
}

/// UUIDs in the order of their bytes (PostgreSQL's order for `uuid`, and Foundation's `<`),
/// sorted by two big-endian integers: Foundation's `<` cost ~400 instructions a comparison.
enum UUIDOrder {
    static func sorted(_ ids: some Sequence<UUID>) -> [UUID] {
        ids.map { (key: key($0), id: $0) }.sorted { $0.key < $1.key }.map(\.id)
    }

    static func key(_ id: UUID) -> (UInt64, UInt64) {
        var high: UInt64 = 0, low: UInt64 = 0
        withUnsafeBytes(of: id.uuid) { bytes in
            for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
            for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
        }
        return (high, low)
    }
}
