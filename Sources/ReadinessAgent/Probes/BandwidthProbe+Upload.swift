import HTTPClient
import Sockets
import SystemClock

extension BandwidthProbe {
    /// Requests in flight at once: the next chunk is sent while the previous one's answer is
    /// on its way back, so the link does not idle for a round trip between chunks (on a long
    /// round trip that idling, not the link, set the figure).
    static let pipelineDepth = 2
    /// Fresh connections that may fail in a row before the upload gives up.
    static let maximumReconnects = 3

    /// The upload direction: sequential `POST /v1/probe/upload` chunks on one kept-alive
    /// connection (RFC 9112 §9.3 pipelining, two deep), time-bounded and capped at `bytes`.
    /// Each chunk counts once the service acknowledged it (`{"bytes": N}`), so the clock stops
    /// on received bytes, not on bytes parked in the local send buffer. The clock starts when
    /// the first chunk is acknowledged, and its bytes do not count: as with the download,
    /// connection warm-up (slow start, the first round trip) is not the link's rate.
    func upload(bytes: Int, progress: (@Sendable (Int) -> Void)? = nil) async throws -> Double {
        let server = server, token = token, dialer = dialer, seconds = seconds, now = clock
        let total = min(bytes, Self.maximumBytes)
        return try await DedicatedThread.run(name: "probe-upload") { () throws -> Double in
            let start = now()
            let stop = start + .milliseconds(Int64(seconds * 1000))
            let deadline = stop + .seconds(10)
            var connection = try HTTPClientConnection(dialer: dialer, server: server, deadline: start + .seconds(10))
            defer { connection.close() }
            var depth = Self.pipelineDepth
            var failures = 0
            var inFlight: [Int] = []
            var acknowledged = 0
            var chunk = Self.warmUpBytes
            var clockStart: MonotonicTime?
            var counted = 0
            var end = start

            func reconnect() throws {
                connection.close()
                connection = try HTTPClientConnection(dialer: dialer, server: server, deadline: deadline)
            }

            while true {
                var sendFailure: (any Error)?
                while inFlight.count < depth, acknowledged + inFlight.reduce(0, +) < total, now() < stop {
                    let size = min(chunk, total - acknowledged - inFlight.reduce(0, +))
                    do {
                        try connection.sendRequest(
                            "POST", server.path("/v1/probe/upload"),
                            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/octet-stream")],
                            contentLength: size, deadline: deadline)
                        try connection.sendBody([UInt8](repeating: 0x5A, count: size), deadline: deadline)
                        inFlight.append(size)
                    } catch {
                        sendFailure = error  // answers already sent may still be read
                        break
                    }
                }
                let response: HTTPClientResponse
                do {
                    if let sendFailure, inFlight.isEmpty { throw sendFailure }
                    guard inFlight.first != nil else { break }
                    response = try connection.readResponse(method: "POST", deadline: deadline)
                } catch {
                    // A proxy may close a kept-alive connection after an answer without saying
                    // so (tinyproxy does; RFC 9112 §9.6 asks for `Connection: close`). Uploads
                    // have no side effect: what was in flight goes again on a new connection,
                    // one request at a time from now on.
                    failures += 1
                    guard failures <= Self.maximumReconnects, acknowledged > 0 else { throw error }
                    inFlight = []
                    depth = 1
                    // Past the time bound nothing more would be sent: what was acknowledged
                    // stands, and a reconnect (its deadline perhaps spent) could only fail it.
                    guard now() < stop else { break }
                    try reconnect()
                    continue
                }
                guard (200...299).contains(response.status) else { throw Failure(description: "upload answered HTTP \(response.status)") }
                failures = 0
                let size = inFlight.removeFirst()
                acknowledged += size
                end = now()
                if clockStart == nil {
                    clockStart = end
                } else {
                    counted += size
                }
                progress?(acknowledged)
                if response.header("Connection")?.lowercased().contains("close") == true {
                    // RFC 9112 §9.6: the peer ends the connection after this answer; anything
                    // pipelined behind it is lost and goes again.
                    inFlight = []
                    depth = 1
                    guard now() < stop else { break }
                    try reconnect()
                }
                // Size the next chunk to about a quarter of the time left at the rate so far.
                let elapsed = Double(end.duration(since: start).nanosecondsClamped) / 1e9
                let left = Double(stop.duration(since: end).nanosecondsClamped) / 1e9
                if elapsed > 0 { chunk = Int(Double(acknowledged) / elapsed * left / 4).clamped(to: (64 << 10)...(4 << 20)) }
            }
            // A plan small enough for one chunk gets the whole exchange timed instead.
            return counted > 0
                ? try Self.kbps(bytes: counted, from: clockStart, to: end)
                : try Self.kbps(bytes: acknowledged, from: start, to: end)
        }
    }
}
