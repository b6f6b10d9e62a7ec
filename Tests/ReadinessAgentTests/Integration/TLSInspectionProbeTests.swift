import ReadinessContract
import HTTPClient
import Foundation
import SystemCrypto
import Testing
@testable import ReadinessAgent

/// The TLS probe against `openssl s_server` on loopback with a certificate made for the test:
/// untrusted by the system store it looks exactly like an intercepting middlebox.
@Suite(.serialized) struct TLSInspectionProbeTests {
    @Test func untrustedIssuerIsInterceptionAndTrustedIsNot() async throws {
        let server = try OpenSSLServer.start()
        defer { server.stop() }
        let target = AgentPlan.TLSTarget(host: "127.0.0.1")

        let system = TLSInspectionProbe(dialer: StreamDialer(proxies: ProxyEnvironment(), tls: try TLSClientContext(trust: .system)), port: server.port)
        #expect(await system.run(target) == .init(host: "127.0.0.1", intercepted: true, issuer: OpenSSLServer.issuer))

        let trusting = TLSInspectionProbe(
            dialer: StreamDialer(proxies: ProxyEnvironment(), tls: try TLSClientContext(trust: .caFile(server.certificate))), port: server.port)
        #expect(await trusting.run(target) == .init(host: "127.0.0.1", intercepted: false, issuer: OpenSSLServer.issuer))
        // A verifying chain from an issuer the policy does not expect is interception too.
        #expect(await trusting.run(.init(host: "127.0.0.1", expectedIssuers: ["Amazon RSA 2048 M02"]))?.intercepted == true)
        // The certificate names 127.0.0.1, not localhost.
        #expect(await trusting.run(.init(host: "localhost"))?.intercepted == true)
    }

    @Test func unreachableHostIsLeftOut() async throws {
        let listener = try LoopbackListener { _ in }
        let port = listener.port
        listener.stop()
        let probe = TLSInspectionProbe(dialer: StreamDialer(proxies: ProxyEnvironment(), tls: try TLSClientContext(trust: .system)), port: port)
        #expect(await probe.run(.init(host: "127.0.0.1")) == nil)
    }
}

/// `openssl s_server` with a fresh self-signed certificate for 127.0.0.1.
struct OpenSSLServer {
    static let issuer = "Readiness Test Interceptor"
    let process: Process
    let port: Int
    let certificate: String
    let directory: URL

    static func start() throws -> OpenSSLServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("agent-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        try run("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", key, "-out", certificate,
            "-subj", "/CN=\(issuer)", "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE",
        ])
        let probe = try LoopbackListener { _ in }
        let port = probe.port
        probe.stop()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-naccept", "20", "-quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = Pipe()
        try process.run()
        // Ready once it accepts connections.
        for _ in 0..<100 {
            if canConnect(port) { return OpenSSLServer(process: process, port: port, certificate: certificate, directory: directory) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        throw TestFailure("openssl s_server did not start")
    }

    func stop() {
        // SIGKILL: the test process's blocked signals are inherited, SIGTERM may not arrive.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("\(arguments.prefix(2).joined(separator: " ")) failed") }
    }

    private static func canConnect(_ port: Int) -> Bool {
        guard let addresses = try? Sockets.HostResolver.resolve("127.0.0.1", port: port, transport: .tcp),
              let socket = try? Sockets.TCPClientSocket.connect(to: addresses, timeout: .milliseconds(200))
        else { return false }
        socket.close()
        return true
    }
}

import Sockets
