import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP listener on 127.0.0.1 for test doubles (a canned HTTP server, a forwarder
/// the test can switch off): each accepted connection is handed to `handle` on its own thread.
final class LoopbackListener: @unchecked Sendable {  // test-only; `lock` guards the descriptors
    private let lock = NSLock()
    private var listenFD: Int32 = -1
    private var open: Set<Int32> = []
    private let handle: @Sendable (Int32) -> Void
    private(set) var port: Int = 0

    init(port: Int = 0, handle: @escaping @Sendable (Int32) -> Void) throws {
        self.handle = handle
        try start(port: port)
    }

    /// Listens (again) on `port`; 0 picks one.
    func start(port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = RawIO.loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw TestFailure("cannot listen on 127.0.0.1:\(port): errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        lock.withLock { listenFD = fd }
        Thread { [self] in acceptLoop(fd) }.start()
    }

    private func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            lock.withLock { _ = open.insert(client) }
            Thread { [self] in
                handle(client)
                lock.withLock { _ = open.remove(client) }
                close(client)
            }.start()
        }
    }

    /// Stops accepting and cuts every open connection: from outside, the server is down.
    func stop() {
        lock.withLock {
            if listenFD >= 0 {
                shutdown(listenFD, Int32(SHUT_RDWR))
                close(listenFD)
                listenFD = -1
            }
            for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    deinit {
        stop()
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Raw descriptor I/O for the test doubles.
enum RawIO {
    /// 127.0.0.1:`port` as the socket calls take it.
    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    static func readHead(_ fd: Int32) -> String? {
        var data: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1 {
            data.append(byte)
            if data.count >= 4 && data.suffix(4) == [13, 10, 13, 10] { return String(decoding: data, as: UTF8.self) }
        }
        return nil
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            offset += written
        }
    }
}
