import Foundation
import Postgres

/// A commit group's new results, column by column, for the set-based statement: each column
/// one `PostgresArray` parameter in binary format, expanded server-side by `unnest`. The
/// bodies go in as their canonical bytes (json: validated and stored as sent), the compact
/// evaluations as text, nothing is escaped or quoted, and no figure needs a JSON spelling (NaN
/// travels as a float8).
/// nil when the group needs the per-upload path from the start: a run_id that repeats inside
/// the group (one upload is then a replay of another, or a conflict with it).
struct SetBasedRows {
    /// Distinct sites in id order: the order their rows are locked in.
    let siteIDs: [UUID]
    var runID = PostgresArray<UUID>()
    var siteID = PostgresArray<UUID>()
    var agentID = PostgresArray<UUID>()
    var contentHash = PostgresArray<Data>()
    var startedAt = PostgresArray<Date>()
    var finishedAt = PostgresArray<Date>()
    var receivedAt = PostgresArray<Date>()
    var body: PostgresArray<PostgresJSON>
    var policyName = PostgresArray<String>()
    var policyVersion = PostgresArray<Int32>()
    var verdict = PostgresArray<String>()
    var score = PostgresArray<Int32>()
    var mos = PostgresArray<Double>()
    var transport = PostgresArray<String>()
    var rttMs = PostgresArray<Double>()
    var jitterMs = PostgresArray<Double>()
    var lossPct = PostgresArray<Double>()
    var downKbps = PostgresArray<Double>()
    var upKbps = PostgresArray<Double>()
    var evaluation: PostgresArray<PostgresText>
    /// Each agent that uploaded, with its newest receipt.
    var agents = PostgresArray<UUID>()
    var agentsSeenAt = PostgresArray<Date>()

    init?(_ uploads: [PreparedUpload]) {
        var runIDs = Set<UUID>()
        var bodyBytes = 0, evaluationBytes = 0
        for upload in uploads {
            for prepared in upload.results {
                guard runIDs.insert(prepared.result.runID).inserted else { return nil }
                bodyBytes += prepared.canonical.count + 4
                evaluationBytes += prepared.storedEvaluation.count + 4
            }
        }
        // UUID's `<` is the order of its bytes, the order of its hex text too, without formatting it.
        siteIDs = Set(uploads.map(\.siteID)).sorted()
        body = PostgresArray(reservingBytes: bodyBytes)
        evaluation = PostgresArray(reservingBytes: evaluationBytes)
        var lastSeen: [UUID: Date] = [:]
        for upload in uploads {
            for prepared in upload.results { append(prepared, of: upload) }
            if let agent = upload.agentID { lastSeen[agent] = max(lastSeen[agent] ?? upload.receivedAt, upload.receivedAt) }
        }
        for (agent, at) in lastSeen.sorted(by: { $0.key < $1.key }) {
            agents.append(agent)
            agentsSeenAt.append(at)
        }
    }

    private mutating func append(_ prepared: PreparedResult, of upload: PreparedUpload) {
        let result = prepared.result
        let evaluation = prepared.evaluation
        let figures = ResultFigures(result)
        runID.append(result.runID)
        siteID.append(upload.siteID)
        agentID.append(upload.agentID)
        contentHash.append(Data(prepared.contentHash))
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
    }
}
