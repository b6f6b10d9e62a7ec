import HTTPClient
import Sockets
import SystemClock

/// Throughput to and from the service: a timed download (`GET /v1/probe/download?bytes=N`)
/// and a timed upload (`POST /v1/probe/upload`), each cut off after `seconds` and capped by
/// the plan's byte counts. kbps = payload bits over the time after the first byte, so
/// connection setup and the first round trip do not count against the link.
struct BandwidthProbe: Sendable {
    let server: ServerURL
    let token: String
    let dialer: StreamDialer
    let seconds: Double
    /// The upload's clock: when its time bound runs out, and its rate. Tests move it by hand;
    /// the socket deadlines stay on the real clock (they only ever get later than it).
    var clock: @Sendable () -> MonotonicTime = { MonotonicTime.now() }

    /// Bytes that warm the connection up before the rate is timed: the upload's first chunk.
    static let warmUpBytes = 64 << 10

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
            // The time bound runs from the first byte; the rate is timed from the read that
            // completes the first 64 KiB (the upload's first chunk), so slow start's first round
            // trips are not taken for the link's rate. Bytes of that read arrived "at" zero.
            var first: MonotonicTime?
            var clockStart: MonotonicTime?
            var received = 0
            var counted = 0
            var last = MonotonicTime.now()
            var cutOff = MonotonicTime.now() + limit + .seconds(10)
            try connection.streamBody(of: head, method: "GET", deadline: cutOff) { chunk in
                let now = MonotonicTime.now()
                received += chunk.count
                if first == nil {
                    first = now
                    cutOff = now + limit
                }
                if clockStart == nil {
                    if received >= Self.warmUpBytes { clockStart = now }
                } else {
                    counted += chunk.count
                    last = now
                }
                progress?(received)
                return now < cutOff
            }
            return try Self.kbps(bytes: counted, from: clockStart, to: last)
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
