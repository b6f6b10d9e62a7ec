import CLibPQ

extension LibPQConnection {
    /// Sends every query before reading any result, so they cost one round trip together
    /// (libpq pipeline mode, PostgreSQL 14+; manual 34.5). The server runs them in order and,
    /// after a failure, skips the rest up to the pipeline's sync point: the first failure is
    /// thrown once every result was read, and the connection is then idle again.
    ///
    /// For statements with small results: a blocking connection writes all queries before it
    /// reads, which is safe while the server's answers fit in the socket buffers (libpq also
    /// reads while a write is blocked).
    func pipeline(_ queries: [PostgresQuery]) throws(PostgresError) -> [PostgresRows] {
        for query in queries { try query.bindings.validate() }
        guard isConnected else { throw connectionLost() }
        for query in queries {
            if let name = query.preparedName { try prepareIfNeeded(name: name, query: query) }
        }
        guard PQenterPipelineMode(handle) == 1 else { throw brokenPipeline("could not enter pipeline mode") }
        for query in queries where !send(query) {
            logger.error("postgres pipeline could not send", metadata: ["postgres.message": "\(libpqMessage)"])
            throw brokenPipeline("could not send a pipelined statement")
        }
        guard PQpipelineSync(handle) == 1 else { throw brokenPipeline("could not send the pipeline's sync") }
        var rows: [PostgresRows] = []
        var failure: PostgresError?
        for query in queries {
            var answer = PostgresRows.empty
            // One result per statement, then NULL; ABORTED for those skipped after a failure.
            while let result = PQgetResult(handle) {
                if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                    PQclear(result)
                    failure = failure ?? PostgresError(kind: .server, reason: "a statement before this one in the pipeline failed")
                    continue
                }
                do { answer = try consume(result, sql: query.sql) } catch { failure = failure ?? error }
            }
            rows.append(answer)
        }
        guard let sync = PQgetResult(handle) else { throw brokenPipeline("the pipeline ended without its sync point") }
        let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        PQclear(sync)
        guard synced, PQexitPipelineMode(handle) == 1 else { throw brokenPipeline("the pipeline did not end at its sync point") }
        if let failure { throw failure }
        return rows
    }

    /// A pipeline that went wrong below the statements leaves the session in an unknown
    /// state: reported as a lost connection, so the worker replaces it.
    private func brokenPipeline(_ reason: String) -> PostgresError {
        logger.error("postgres pipeline failed", metadata: ["postgres.reason": "\(reason)", "postgres.message": "\(libpqMessage)"])
        return PostgresError(kind: .connection, reason: "the database connection was lost", sqlState: .connectionFailure)
    }
}
