import HTTPServer
import Postgres

extension GroupCommitWriter {
    /// Writes each upload inside its own savepoint. A rejection (409, archived site) or a failed
    /// statement rolls back that upload alone; its request gets its own error and the group
    /// still commits. Uploads are written in site order so that two groups in flight (or two
    /// replicas) lock site rows in the same order and cannot deadlock on them.
    static func write(_ uploads: [PreparedUpload], on tx: PostgresConnection) throws -> [Reply] {
        var replies = [Reply](repeating: .failure(HTTPError(status: .internalServerError)), count: uploads.count)
        let order = uploads.indices.sorted { (uploads[$0].siteID, $0) < (uploads[$1].siteID, $1) }
        for index in order {
            try tx.execute("SAVEPOINT upload")
            do {
                try chargeResultBudgets([uploads[index]], on: tx)
                let outcomes = try PostgresResultStore.write(uploads[index], on: tx)
                try tx.execute("RELEASE SAVEPOINT upload")
                replies[index] = .success(outcomes)
            } catch let error as PostgresError where error.isConnectionLost {
                throw error
            } catch {
                try tx.execute("ROLLBACK TO SAVEPOINT upload")
                try tx.execute("RELEASE SAVEPOINT upload")
                replies[index] = .failure(Self.problem(for: error))
            }
        }
        return replies
    }

    static func problem(for error: any Error) -> HTTPError {
        if let rejection = error as? UploadRejection { return rejection.httpError }
        if error is PostgresError {
            // A deadlock, lock timeout or serialization failure of this one upload: retrying helps.
            return HTTPError(
                status: .serviceUnavailable, detail: "the result could not be stored now; retry shortly",
                problem: ProblemTypes.databaseUnavailable, headers: ["Retry-After": "1"])
        }
        return HTTPError(status: .internalServerError, detail: "the result could not be stored")
    }
}
