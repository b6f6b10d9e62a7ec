import Foundation
import Testing
import ReadinessServiceTestSupport

/// SIGTERM reaches a real `readiness serve` process (not the test process, whose threads the
/// test runner owns): the server stops accepting, closes idle connections and exits 0.
@Suite struct SignalShutdownTests {
    /// `swift build --build-tests` puts the executable beside the test bundle.
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS" || directory.lastPathComponent == "Contents" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("readiness")
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func signalDrainsAndExitsZero(signal: Int32) async throws {
        let binary = Self.executable.path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the executable first: swift build --build-tests")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("signal-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let port = try Self.freePort()
        // `exec` keeps the shell's pid for the server, so `system`'s own waitpid returns the
        // server's exit status (a shell `wait` here never saw SIGCHLD: it inherits the test
        // runner's signal mask). Output goes to /dev/null so no pipe of the runner stays open.
        let script = """
            echo $$ > '\(work.path)/pid'; exec '\(binary)' serve --no-database --port \(port) \
            --event-loops 1 --reflector-listen 127.0.0.1:0 --log-level error </dev/null >/dev/null 2>&1
            """
        let exitStatus = ExitStatus()
        Thread { exitStatus.set(system(script)) }.start()
        let pid = try #require(Int32(try await Self.waitForFile(work.appendingPathComponent("pid"))))
        // Whatever the outcome, no server outlives the test.
        defer { kill(pid_t(pid), SIGKILL) }
        let client = APIClient(port: port)
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? await client.get("/healthz").status) == 200
            if !ready { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(ready, "the server did not start")
        // An idle keep-alive connection must not hold the shutdown up.
        let idle = try Self.connect(port: port)
        defer { close(idle) }
        let started = Date()
        #expect(kill(pid_t(pid), signal) == 0)
        let status = try await exitStatus.wait(timeout: 15)
        // system(3) returns a wait status: exited normally with code 0.
        #expect(status == 0, "wait status \(status.map(String.init) ?? "none")")
        #expect(Date().timeIntervalSince(started) < 10, "the default grace is 10 s; an idle connection must close at once")
        #expect((try? await client.get("/healthz")) == nil, "nothing listens after exit")
    }

    /// The wait status `system` returned, handed from its thread to the test.
    final class ExitStatus: @unchecked Sendable {  // guarded by `lock`
        private let lock = NSLock()
        private var status: Int32?

        func set(_ value: Int32) {
            lock.lock()
            status = value
            lock.unlock()
        }

        var current: Int32? {
            lock.lock()
            defer { lock.unlock() }
            return status
        }

        func wait(timeout: TimeInterval) async throws -> Int32? {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let value = current { return value }
                try await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }
    }

    /// The shell never wrote its pid: under a full parallel run, starting it has taken over 10 s.
    struct ServerDidNotStart: Error, CustomStringConvertible {
        var description: String { "the shell that execs the server did not write its pid in time" }
    }

    static func waitForFile(_ url: URL, timeout: TimeInterval = 30) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOf: url, encoding: .utf8), text.hasSuffix("\n") {
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ServerDidNotStart()
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
        return fd
    }
}
