import Foundation
import ReadinessContract

/// Results that could not be uploaded yet: one file `<run_id>.json` each (canonical JSON,
/// mode 0600 in a 0700 directory: results describe the site's network), uploaded first on
/// the next run. `run_id` makes a retried upload idempotent (probe-result-v1.md).
public struct ResultSpool: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// `$XDG_STATE_HOME/readiness-agent/spool`, else `~/.local/state/readiness-agent/spool`
    /// (XDG Base Directory Specification, "state data").
    public static func defaultDirectory(environment: [String: String]) -> URL {
        let base: URL
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            base = URL(fileURLWithPath: state)
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            base = URL(fileURLWithPath: home).appendingPathComponent(".local/state")
        }
        return base.appendingPathComponent("readiness-agent/spool")
    }

    /// One spooled result.
    public struct Entry: Sendable {
        public let runID: UUID
        public let file: URL
        public let body: Data
    }

    /// Writes `result` atomically (a temporary file renamed into place) and returns its file.
    @discardableResult
    public func store(_ result: ProbeResult) throws -> URL {
        try ensureDirectory()
        let file = directory.appendingPathComponent(result.runID.uuidString.lowercased() + ".json")
        let temporary = directory.appendingPathComponent(".\(result.runID.uuidString.lowercased()).tmp")
        let body = result.canonicalJSON()
        guard FileManager.default.createFile(atPath: temporary.path, contents: body, attributes: [.posixPermissions: 0o600]) else {
            throw AgentFailure.storage("cannot write to the spool \(directory.path)")
        }
        guard rename(temporary.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw AgentFailure.storage("cannot move a result into the spool \(directory.path)")
        }
        return file
    }

    /// Spooled results, oldest first. Files that are not a result of ours are left alone.
    public func pending() -> [Entry] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        let entries = names.compactMap { name -> (Entry, Date)? in
            guard name.hasSuffix(".json"), let runID = UUID(uuidString: String(name.dropLast(5))) else { return nil }
            let file = directory.appendingPathComponent(name)
            guard let body = FileManager.default.contents(atPath: file.path) else { return nil }
            let modified = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? .distantPast
            return (Entry(runID: runID, file: file, body: body), modified)
        }
        return entries.sorted { $0.1 < $1.1 }.map(\.0)
    }

    public func remove(_ entry: Entry) {
        try? FileManager.default.removeItem(at: entry.file)
    }

    func ensureDirectory() throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw AgentFailure.storage("cannot create the spool \(directory.path): \(error.localizedDescription)")
        }
    }
}
