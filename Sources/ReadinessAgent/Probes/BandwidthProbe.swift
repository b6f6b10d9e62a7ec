import ReadinessDomain
import Sockets

/// Throughput to and from the service: a timed download (`GET /v1/probe/download?bytes=N`)
/// and a timed upload (`POST /v1/probe/upload`), each cut off after `seconds` and capped by
/// the plan's byte counts. kbps = payload bits over the time after the first byte, so
/// connection setup and the first round trip do not count against the link.
struct BandwidthProbe: Sendable {
    let server: ServerURL
    let token: String
    let dialer: StreamDialer
    let seconds: Double

    /// The service's limit per request (64 MiB).
    static let maximumBytes = 64 << 20

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func download(bytes: Int, progress: (@Sendable (Int) -> Void)? = nil) async throws -> Double {
        let server = server, token = token, dialer = dialer, seconds = seconds
        let total = min(bytes, Self.maximumBytes)
        return try await DedicatedThread.run(name: "probe-download") { () throws -> Double in
            let limit = Duration.milliseconds(Int64(seconds * 1000))
            let connection = try HTTPClientConnection(dialer: dialer, server: server, deadline: .now() + .seconds(10))
            defer { connection.close() }
            try connection.sendRequest(
                "GET", server.path("/v1/probe/download?bytes=\(total)"),
                headers: [("Authorization", "Bearer \(token)"), ("Accept-Encoding", "identity")], deadline: .now() + .seconds(10))
            let head = try connection.readHead(deadline: .now() + .seconds(10))
            guard head.status == 200 else { throw Failure(description: "download answered HTTP \(head.status)") }
            var first: MonotonicTime?
            var last = MonotonicTime.now()
            var counted = 0
            var cutOff = MonotonicTime.now() + limit + .seconds(10)
            try connection.streamBody(of: head, method: "GET", deadline: cutOff) { chunk in
                let now = MonotonicTime.now()
                if first == nil {
                    // The clock starts with the first byte; that read's bytes arrived "at" zero.
                    first = now
                    cutOff = now + limit
                } else {
                    counted += chunk.count
                    last = now
                }
                progress?(counted)
                return now < cutOff
            }
            return try Self.kbps(bytes: counted, from: first, to: last)
        }
    }

    func upload(bytes: Int, progress: (@Sendable (Int) -> Void)? = nil) async throws -> Double {
        let server = server, token = token, dialer = dialer, seconds = seconds
        let total = min(bytes, Self.maximumBytes)
        return try await DedicatedThread.run(name: "probe-upload") { () throws -> Double in
            let limit = Duration.milliseconds(Int64(seconds * 1000))
            var connection = try HTTPClientConnection(dialer: dialer, server: server, deadline: .now() + .seconds(10))
            defer { connection.close() }
            let start = MonotonicTime.now()
            let stop = start + limit
            var sent = 0
            var chunk = 64 << 10
            var end = start
            // Sequential chunks on one kept-alive connection: each is acknowledged by the
            // service (`{"bytes": N}`) before the next, so the clock stops on received
            // bytes, not on bytes parked in the local send buffer.
            while sent < total && MonotonicTime.now() < stop {
                let size = min(chunk, total - sent)
                let deadline = stop + .seconds(10)
                func post(on connection: HTTPClientConnection) throws -> HTTPClientResponse {
                    try connection.sendRequest(
                        "POST", server.path("/v1/probe/upload"),
                        headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/octet-stream")],
                        contentLength: size, deadline: deadline)
                    try connection.sendBody([UInt8](repeating: 0x5A, count: size), deadline: deadline)
                    return try connection.readResponse(method: "POST", deadline: deadline)
                }
                let response: HTTPClientResponse
                do {
                    response = try post(on: connection)
                } catch where sent > 0 {
                    // A proxy may close a kept-alive connection after an answer without saying so
                    // (tinyproxy does; RFC 9112 §9.6 asks for `Connection: close`). The upload
                    // has no side effect, so the chunk goes again, once, on a new connection.
                    connection.close()
                    connection = try HTTPClientConnection(dialer: dialer, server: server, deadline: deadline)
                    response = try post(on: connection)
                }
                guard (200...299).contains(response.status) else { throw Failure(description: "upload answered HTTP \(response.status)") }
                sent += size
                end = MonotonicTime.now()
                progress?(sent)
                // Size the next chunk to about a quarter of the time left at the rate so far.
                let elapsed = Double(end.duration(since: start).nanosecondsClamped) / 1e9
                let left = Double(stop.duration(since: end).nanosecondsClamped) / 1e9
                if elapsed > 0 { chunk = Int(Double(sent) / elapsed * left / 4).clamped(to: (64 << 10)...(4 << 20)) }
            }
            return try Self.kbps(bytes: sent, from: start, to: end)
        }
    }

    static func kbps(bytes: Int, from start: MonotonicTime?, to end: MonotonicTime) throws -> Double {
        guard let start else { throw Failure(description: "no payload arrived") }
        let seconds = Double(end.duration(since: start).nanosecondsClamped) / 1e9
        guard seconds > 0.001, bytes > 0 else { throw Failure(description: "too little data to time") }
        return (Double(bytes) * 8 / 1000 / seconds).rounded()
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
