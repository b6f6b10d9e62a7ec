import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A raw HTTP/1.1 server on 127.0.0.1 that counts the connections it accepted and the requests
/// it read, and answers each in a scripted way, for the client's connection reuse: our own
/// server always answers by the book, and these tests need servers that do not.
final class ScriptedHTTPServer: @unchecked Sendable {  // test-only; `lock` guards the counters
    enum Answer: Sendable {
        /// 204 and the connection stays open for the next request.
        case keepAlive
        /// 204 without a word, then the connection closed (as a server does at its idle timeout).
        case closeSilently
        /// 204 with `Connection: close`, then closed.
        case connectionClose
        /// An HTTP/1.0 204 without `keep-alive`, then closed.
        case http10
        /// 200 with a body framed by the end of the connection.
        case unframed
        /// The first request on a connection is answered (204, kept open); the second gets
        /// part of a head before the connection is closed.
        case breakSecondAnswer
        /// The first request on a connection is answered (204, kept open); the second never
        /// is (the connection stays open until the client closes it).
        case stallSecondAnswer
    }

    private let lock = NSLock()
    private var acceptedCount = 0
    private var requestCount = 0
    private let listenFD: Int32
    let port: Int

    var connections: Int { lock.withLock { acceptedCount } }
    var requests: Int { lock.withLock { requestCount } }

    init(_ answer: Answer) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            close(fd)
            throw TestFailure(description: "cannot listen on 127.0.0.1: errno \(errno)")
        }
        listenFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                lock.withLock { acceptedCount += 1 }
                Thread { [self] in
                    serve(client, answer)
                    close(client)
                }.start()
            }
        }.start()
    }

    func stop() {
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
    }

    private func serve(_ client: Int32, _ answer: Answer) {
        var onThisConnection = 0
        while readRequest(client) {
            lock.withLock { requestCount += 1 }
            onThisConnection += 1
            switch answer {
            case .keepAlive: write(client, "HTTP/1.1 204 No Content\r\n\r\n")
            case .closeSilently: return write(client, "HTTP/1.1 204 No Content\r\n\r\n")
            case .connectionClose: return write(client, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            case .http10: return write(client, "HTTP/1.0 204 No Content\r\n\r\n")
            case .unframed: return write(client, "HTTP/1.1 200 OK\r\n\r\nuntil the end")
            case .breakSecondAnswer:
                guard onThisConnection == 1 else { return write(client, "HTTP/1.1 2") }
                write(client, "HTTP/1.1 204 No Content\r\n\r\n")
            case .stallSecondAnswer:
                guard onThisConnection == 1 else {
                    while readRequest(client) {}
                    return
                }
                write(client, "HTTP/1.1 204 No Content\r\n\r\n")
            }
        }
    }

    /// Reads one request's head and its `Content-Length` body; false at the end of the stream.
    private func readRequest(_ fd: Int32) -> Bool {
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !(head.count >= 4 && head.suffix(4) == [13, 10, 13, 10]) {
            guard read(fd, &byte, 1) == 1 else { return false }
            head.append(byte)
        }
        let length = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        var body = [UInt8](repeating: 0, count: max(length, 1))
        var got = 0
        while got < length {
            let count = body.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, length - got) }
            guard count > 0 else { return false }
            got += count
        }
        return true
    }

    private func write(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
