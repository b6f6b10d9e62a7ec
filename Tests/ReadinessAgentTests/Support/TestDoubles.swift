import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Answers every request with one canned response (e.g. a plan the agent cannot run).
final class CannedHTTPServer: Sendable {
    let listener: LoopbackListener

    init(status: Int, body: String, headers: [String: String] = ["Content-Type": "application/json"]) throws {
        var response = "HTTP/1.1 \(status) Canned\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
        for (name, value) in headers { response += "\(name): \(value)\r\n" }
        response += "\r\n" + body
        let bytes = Array(response.utf8)
        listener = try LoopbackListener { fd in
            guard RawIO.readHead(fd) != nil else { return }
            RawIO.writeAll(fd, bytes)
        }
    }

    var url: String { "http://127.0.0.1:\(listener.port)" }
}

/// Forwards TCP connections to a target port until stopped; started again on the same port,
/// it brings "the server" back. What the agent sees as an outage of the service.
final class LoopbackForwarder: Sendable {
    let listener: LoopbackListener

    init(to targetPort: Int) throws {
        listener = try LoopbackListener { client in
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(targetPort).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(upstream)
                return
            }
            let done = DispatchSemaphore(value: 0)
            Thread {
                Self.pump(from: upstream, to: client)
                shutdown(client, Int32(SHUT_WR))
                done.signal()
            }.start()
            Self.pump(from: client, to: upstream)
            shutdown(upstream, Int32(SHUT_WR))
            done.wait()
            close(upstream)
        }
    }

    var url: String { "http://127.0.0.1:\(listener.port)" }

    func stop() { listener.stop() }

    func restart() throws { try listener.start(port: listener.port) }

    private static func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            RawIO.writeAll(destination, Array(buffer[..<count]))
        }
    }
}
