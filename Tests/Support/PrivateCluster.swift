import Foundation

/// A PostgreSQL cluster of one test's own (`scripts/dev-postgres.sh` in a temporary directory),
/// for tests that stop or restart the server: doing that to the shared cluster would break the
/// queries of every other test running in the same process at that moment.
public struct PrivateCluster: Sendable {
    public let directory: String
    /// The URL of its `readiness` database (created by the script).
    public let url: String

    /// Creates and starts a cluster (fsync off: throwaway). Call ``remove()`` on every path.
    public static func start() async throws -> PrivateCluster {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("readiness-cluster-\(UUID().uuidString.prefix(8))").path
        let url = try await run("start '\(directory)' --fast")
        return PrivateCluster(directory: directory, url: url)
    }

    /// Fast shutdown: sessions are ended and new connections refused until ``startAgain()``.
    public func stop() async throws { _ = try await Self.run("stop '\(directory)'") }

    /// Starts the stopped cluster on the same port, so URLs handed out before still work.
    public func startAgain() async throws {
        let again = try await Self.run("start '\(directory)' --fast")
        guard again == url else { throw TestSetupError(description: "the cluster came back at \(again), not \(url)") }
    }

    /// Restarts in place (fast shutdown, same port).
    public func restart() async throws { _ = try await Self.run("restart '\(directory)'") }

    /// Stops the cluster and deletes its files.
    public func remove() async {
        _ = try? await Self.run("stop '\(directory)'")
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` with a started cluster, removing it afterwards whatever happens.
    public static func with<T>(_ body: (PrivateCluster) async throws -> T) async throws -> T {
        let cluster = try await start()
        let result: Result<T, any Error>
        do { result = .success(try await body(cluster)) } catch { result = .failure(error) }
        await cluster.remove()
        return try result.get()
    }

    private static var script: String { TestDatabase.scriptsDirectory.appendingPathComponent("dev-postgres.sh").path }

    /// Runs the script with `system(3)` on its own thread: Foundation's `Process` did not reap
    /// the child here (it stayed a zombie and `waitUntilExit` never returned). Returns what the
    /// script printed.
    private static func run(_ arguments: String) async throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("dev-postgres-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let command = "'\(script)' \(arguments) >'\(output.path)'"
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: system(command)) }.start()
        }
        guard status == 0 else {
            throw TestSetupError(description: "dev-postgres.sh \(arguments) failed with status \(status)")
        }
        return (try String(contentsOf: output, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
