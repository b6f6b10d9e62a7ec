import Foundation
import ReadinessServiceTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Bytes written to the live server over a plain TCP socket, and everything it sends back until
/// it closes: for what URLSession hides (a 101 and the frame after it, a 413 before the body).
/// Runs on its own thread so the blocking socket never holds a cooperative-pool thread.
enum RawHTTPExchange {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The response split at the blank line: head text and the bytes after it.
    struct Reply {
        let head: String
        let rest: [UInt8]
        var statusCode: Int? { head.split(separator: " ").dropFirst().first.flatMap { Int($0) } }

        func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                if line[..<colon].lowercased() == name.lowercased() {
                    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }

        /// The problem document of an error reply (its body is the rest); throws when the body
        /// is not one.
        func problem() throws -> ProblemBody {
            try APIBodyDecoder.shared.decode(ProblemBody.self, from: Data(rest))
        }
    }

    /// Sends `request` (a head, optionally followed by `body`) and reads until the server closes:
    /// ask for `Connection: close` unless the reply closes by itself.
    /// With `headOnly`, stops reading at the end of the first response head instead (e.g. a
    /// `100 Continue` the server sends before the body it then waits for).
    static func send(_ request: String, body: [UInt8] = [], port: Int, headOnly: Bool = false, timeout: TimeInterval = 10) async throws -> Reply {
        let bytes = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
            Thread {
                continuation.resume(with: Result { try exchange(Array(request.utf8) + body, port: port, headOnly: headOnly, timeout: timeout) })
            }.start()
        }
        guard let end = bytes.indices.dropLast(3).first(where: {
            bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10
        }) else {
            throw Failure(description: "no complete head in \(bytes.count) bytes")
        }
        return Reply(head: String(decoding: bytes[..<end], as: UTF8.self), rest: Array(bytes[(end + 4)...]))
    }

    private static func exchange(_ request: [UInt8], port: Int, headOnly: Bool, timeout: TimeInterval) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket") }
        defer { close(fd) }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect") }
        var offset = 0
        while offset < request.count {
            let written = request[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw Failure(description: "write") }
            offset += written
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count == 0 { return received }  // the server closed
            guard count > 0 else { throw Failure(description: "read timed out or failed after \(received.count) bytes") }
            received.append(contentsOf: chunk[0..<count])
            if headOnly, received.count >= 4, received.indices.dropLast(3).contains(where: {
                received[$0] == 13 && received[$0 + 1] == 10 && received[$0 + 2] == 13 && received[$0 + 3] == 10
            }) {
                return received
            }
        }
    }
}
