import Foundation

/// Sends the spool's results before a run's own: in one batch (up to the service's 500 per
/// request), and one by one only when a batch is refused, so a single result the service
/// rejects (422, or 409 for a `run_id` it holds with other content) is dropped without
/// blocking the rest forever.
struct SpoolUploader: Sendable {
    let spool: ResultSpool
    let client: ServiceClient
    let progress: ProgressReporter

    static let batchLimit = 500

    /// - Returns: how many spooled results went up. A revoked token stops the run; an
    ///   unreachable service leaves the spool as it was.
    func flush() async throws -> Int {
        let entries = spool.pending()
        guard !entries.isEmpty else { return 0 }
        var uploaded = 0
        var start = 0
        while start < entries.count {
            let batch = Array(entries[start..<min(start + Self.batchLimit, entries.count)])
            start += batch.count
            do {
                _ = try await client.upload(batch.map(\.body))
                batch.forEach(spool.remove)
                uploaded += batch.count
            } catch AgentFailure.resultRejected {
                guard let count = try await uploadSingly(batch) else { return uploaded }
                uploaded += count
            } catch AgentFailure.serverUnreachable {
                progress.line("spool", "\(entries.count - uploaded) results wait (server unreachable)")
                return uploaded
            }
        }
        progress.line("spool", "uploaded \(uploaded) spooled result\(uploaded == 1 ? "" : "s")")
        return uploaded
    }

    /// Nil when the service became unreachable midway.
    private func uploadSingly(_ batch: [ResultSpool.Entry]) async throws -> Int? {
        var uploaded = 0
        for entry in batch {
            do {
                _ = try await client.upload([entry.body])
                spool.remove(entry)
                uploaded += 1
            } catch let AgentFailure.resultRejected(why) {
                spool.remove(entry)
                progress.line("spool", "dropped \(entry.runID.uuidString.lowercased()): \(why)")
            } catch AgentFailure.serverUnreachable {
                return nil
            }
        }
        return uploaded
    }
}
