import Foundation
import Testing

/// The real `readiness-agent` executable, as scripts and service managers run it: exit codes
/// and the one-line reason on stderr.
@Suite struct AgentBinaryTests {
    /// `swift build --build-tests` puts the executable beside the test bundle.
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS" || directory.lastPathComponent == "Contents" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("readiness-agent")
    }

    /// Waits for the process on a thread of its own: blocking a cooperative-pool thread (two on
    /// this machine) for the agent's whole run would stall every other suite's async work.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (code: Int32, stdout: String, stderr: String) {
        let binary = executable.path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the executable first: swift build --build-tests")
        return try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try runBlocking(arguments, environment: environment) }) }.start()
        }
    }

    private static func runBlocking(_ arguments: [String], environment: [String: String]) throws -> (code: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path].merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test func badFlagsExitSixtyFourNamingTheFault() async throws {
        let result = try await Self.run(["run", "--server", "ftp://example", "--token", "t"])
        #expect(result.code == 64)
        #expect(result.stderr == "readiness-agent: --server must be an http:// or https:// URL, not ftp://example\n")
        let both = try await Self.run(["run", "--server", "http://127.0.0.1:1", "--token", "t", "--once", "--every", "1h"])
        #expect(both.code == 64)
        #expect(both.stderr.contains("--once and --every exclude each other"))
    }

    @Test func rejectedTokenExitsSeventySevenWithoutPrintingIt() async throws {
        let server = try CannedHTTPServer(status: 401, body: #"{"title": "Unauthorized", "status": 401}"#)
        let token = "rdy_do-not-print-me"
        let spool = temporarySpool()
        defer { try? FileManager.default.removeItem(at: spool.deletingLastPathComponent()) }
        let result = try await Self.run(["run", "--server", server.url, "--spool", spool.path], environment: ["READINESS_AGENT_TOKEN": token])
        #expect(result.code == 77)
        #expect(result.stderr == "readiness-agent: token rejected (revoked or wrong)\n")
        #expect(!result.stdout.contains(token) && !result.stderr.contains(token))
    }

    @Test func configFileSuppliesServerAndTokenFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("agent-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try CannedHTTPServer(status: 401, body: "{}")
        let tokenFile = directory.appendingPathComponent("token")
        try Data("secret\n".utf8).write(to: tokenFile)
        let config = directory.appendingPathComponent("agent.json")
        try Data(#"{"server": "\#(server.url)", "token_file": "\#(tokenFile.path)", "spool": "\#(directory.path)/spool"}"#.utf8).write(to: config)
        // The canned server answers 401 whatever the token: reaching it proves the file was read.
        #expect(try await Self.run(["run", "--config", config.path]).code == 77)
        let typo = directory.appendingPathComponent("typo.json")
        try Data(#"{"sever": "x"}"#.utf8).write(to: typo)
        let refused = try await Self.run(["run", "--config", typo.path])
        #expect(refused.code == 64)
        #expect(refused.stderr.contains("unknown key \"sever\""))
    }
}
