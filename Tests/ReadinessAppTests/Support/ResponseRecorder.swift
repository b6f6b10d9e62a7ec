import Foundation
import Testing
import ReadinessServiceTestSupport

/// Sends requests through the live server's client and keeps every answer, so that a test can
/// have them all checked against `openapi/openapi.yaml` at once by `scripts/check-responses.py`.
final class ResponseRecorder: @unchecked Sendable {  // `records` behind `lock`
    private let client: APIClient
    private let lock = NSLock()
    private var records: [[String: Any]] = []

    init(_ client: APIClient) {
        self.client = client
    }

    @discardableResult
    func send(
        _ method: String, _ path: String, token: String?, headers: [String: String] = [:], body: Data? = nil
    ) async throws -> APIClient.Response {
        let response = try await client.send(method, path, token: token, headers: headers, body: body)
        let record: [String: Any] = [
            "method": method, "path": path, "status": response.status,
            "content_type": response.header("Content-Type") ?? NSNull(),
            "body": String(decoding: response.body, as: UTF8.self),
        ]
        lock.withLock { records.append(record) }
        return response
    }

    @discardableResult
    func send(_ method: String, _ path: String, token: String?, json object: Any, headers: [String: String] = [:]) async throws -> APIClient.Response {
        try await send(method, path, token: token, headers: headers, body: Body.json(object))
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs the checker over everything recorded: its exit status and what it printed. Every
    /// documented operation but those in `uncovered` must have answered a 2xx at least once.
    func check(uncovered: [String] = []) async throws -> (status: Int32, output: String) {
        let lines = try lock.withLock { try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) } }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("responses-\(UUID().uuidString).jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let root = Self.repositoryRoot
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    process.arguments = ["python3", root.appendingPathComponent("scripts/check-responses.py").path,
                                         root.appendingPathComponent("openapi/openapi.yaml").path, file.path]
                        + uncovered.flatMap { ["--uncovered", $0] }
                    let output = Pipe()
                    process.standardOutput = output
                    process.standardError = output
                    try process.run()
                    let printed = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return (process.terminationStatus, String(decoding: printed, as: UTF8.self))
                })
            }.start()
        }
    }
}
