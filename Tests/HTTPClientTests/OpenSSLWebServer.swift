import Foundation
import Sockets
#if canImport(Glibc)
import Glibc
#endif

struct TestFailure: Error, CustomStringConvertible {
    let description: String
}

/// A port nothing listens on (bound, read, released).
enum TCPListenerPort {
    static func unused() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw TestFailure(description: "cannot bind a probe port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// `openssl s_server -www` (answers any GET with a status page) with a fresh self-signed
/// certificate for 127.0.0.1.
struct OpenSSLWebServer {
    let process: Process
    let port: Int
    let certificate: String
    let directory: URL

    static func start() throws -> OpenSSLWebServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("http-client-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        try run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", key, "-out", certificate,
            "-subj", "/CN=HTTPClient Test", "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE",
        ])
        let port = try TCPListenerPort.unused()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-www", "-quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = Pipe()
        try process.run()
        for _ in 0..<100 {
            if let socket = try? TCPClientSocket.connect(to: HostResolver.resolve("127.0.0.1", port: port, transport: .tcp), timeout: .milliseconds(200)) {
                socket.close()
                return OpenSSLWebServer(process: process, port: port, certificate: certificate, directory: directory)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        throw TestFailure(description: "openssl s_server did not start")
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure(description: "\(arguments.prefix(2).joined(separator: " ")) failed") }
    }
}
