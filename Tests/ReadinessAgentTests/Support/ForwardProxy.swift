import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A forward proxy on loopback as a test double (RFC 9110 §9.3.6 CONNECT tunnels, RFC 9112
/// §3.2.2 absolute-form requests). With `stripUpgrade` it behaves like a security gateway that
/// does not let WebSocket upgrades through; with `oneRequestPerConnection` it answers one
/// request per connection and then closes it without announcing it, as tinyproxy does. It
/// records each request line it saw.
final class ForwardProxy: @unchecked Sendable {  // test-only; `lock` guards `seen`
    private let lock = NSLock()
    private var seen: [String] = []
    private(set) var listener: LoopbackListener?

    init(stripUpgrade: Bool = false, oneRequestPerConnection: Bool = false) throws {
        listener = try LoopbackListener { [unowned self] client in
            guard let head = RawIO.readHead(client) else { return }
            var lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            let requestLine = lines.removeFirst()
            lock.withLock { seen.append(requestLine) }
            let parts = requestLine.split(separator: " ")
            guard parts.count == 3 else { return }
            if parts[0] == "CONNECT" {
                guard let (host, port) = Self.hostPort(String(parts[1])), let upstream = Self.connect(host, port) else {
                    RawIO.writeAll(client, Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".utf8))
                    return
                }
                RawIO.writeAll(client, Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
                Self.splice(client, upstream)
                return
            }
            guard let url = URLComponents(string: String(parts[1])), let host = url.host, let upstream = Self.connect(host, url.port ?? 80) else {
                RawIO.writeAll(client, Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".utf8))
                return
            }
            let path = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
            var forwarded = lines.filter { !$0.lowercased().hasPrefix("proxy-") }
            if stripUpgrade {
                forwarded = forwarded.filter { !$0.lowercased().hasPrefix("upgrade:") && !$0.lowercased().hasPrefix("connection:") }
            }
            forwarded.append("Via: 1.1 test-proxy")
            if oneRequestPerConnection {
                forwarded = forwarded.filter { !$0.lowercased().hasPrefix("connection:") } + ["Connection: close"]
            }
            let newHead = "\(parts[0]) \(path) \(parts[2])\r\n" + forwarded.joined(separator: "\r\n") + "\r\n\r\n"
            RawIO.writeAll(upstream, Array(newHead.utf8))
            guard oneRequestPerConnection else {
                Self.splice(client, upstream)
                return
            }
            // The body, then the answer without its `Connection: close`, then hang up.
            let length = lines.first { $0.lowercased().hasPrefix("content-length:") }.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            Self.copy(length, from: client, to: upstream)
            if let answer = RawIO.readHead(upstream) {
                let kept = answer.components(separatedBy: "\r\n").filter { !$0.isEmpty && !$0.lowercased().hasPrefix("connection:") }
                RawIO.writeAll(client, Array((kept.joined(separator: "\r\n") + "\r\n\r\n").utf8))
                Self.pump(upstream, client)
            }
            close(upstream)
        }
    }

    var url: String { "http://127.0.0.1:\(listener?.port ?? 0)" }
    var requests: [String] { lock.withLock { seen } }

    func stop() { listener?.stop() }

    private static func hostPort(_ authority: String) -> (String, Int)? {
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) else { return nil }
        return (String(authority[..<colon]), port)
    }

    private static func connect(_ host: String, _ port: Int) -> Int32? {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        // Loopback only: the double never forwards off this machine.
        guard host == "127.0.0.1" || host == "localhost" else { return nil }
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Copies both ways until either side closes.
    private static func splice(_ client: Int32, _ upstream: Int32) {
        let done = DispatchSemaphore(value: 0)
        Thread {
            pump(upstream, client)
            shutdown(client, Int32(SHUT_WR))
            done.signal()
        }.start()
        pump(client, upstream)
        shutdown(upstream, Int32(SHUT_WR))
        done.wait()
        close(upstream)
    }

    private static func copy(_ count: Int, from source: Int32, to destination: Int32) {
        var remaining = count
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while remaining > 0 {
            let got = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, min($0.count, remaining)) }
            guard got > 0 else { return }
            RawIO.writeAll(destination, Array(buffer[..<got]))
            remaining -= got
        }
    }

    private static func pump(_ source: Int32, _ destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            RawIO.writeAll(destination, Array(buffer[..<count]))
        }
    }
}
