import JSON
import Foundation

/// The moment before which the service asked not to be sent anything (a 429 or 503 with
/// Retry-After), kept as `.retry-after` in the spool directory so that the next run, whenever
/// a scheduler starts it, waits too: it probes and spools its result but uploads nothing
/// before then.
struct RetryAfterMarker: Sendable {
    let file: URL

    init(spool: ResultSpool) {
        file = spool.directory.appendingPathComponent(".retry-after")
    }

    /// The recorded moment while it is still ahead of `now`; nil when there is none (or it passed).
    func pending(now: Date) -> Date? {
        guard let data = FileManager.default.contents(atPath: file.path),
              let until = RFC3339Timestamp.parse(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              until > now
        else { return nil }
        return until
    }

    /// Records `until` (an RFC 3339 time, readable by a person looking at the spool).
    func record(_ until: Date) {
        FileManager.default.createFile(
            atPath: file.path, contents: Data((RFC3339Timestamp.format(until) + "\n").utf8), attributes: [.posixPermissions: 0o600])
    }

    func clear() {
        try? FileManager.default.removeItem(at: file)
    }
}
