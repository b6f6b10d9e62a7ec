import Sockets

extension BandwidthProbe {
    /// The upload direction: sequential `POST /v1/probe/upload` chunks, time-bounded, capped
    /// at `bytes`; kbps over the chunks after the first.
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
            // The clock starts when the first chunk is acknowledged, and its bytes do not
            // count: as with the download, connection warm-up (slow start, the first round
            // trip) is not the link's rate.
            var clockStart: MonotonicTime?
            var counted = 0
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
                if response.header("Connection")?.lowercased().contains("close") == true {
                    // RFC 9112 §9.6: the server (or a proxy) ends the connection after this answer.
                    connection.close()
                    connection = try HTTPClientConnection(dialer: dialer, server: server, deadline: deadline)
                }
                sent += size
                end = MonotonicTime.now()
                if clockStart == nil {
                    clockStart = end
                } else {
                    counted += size
                }
                progress?(sent)
                // Size the next chunk to about a quarter of the time left at the rate so far.
                let elapsed = Double(end.duration(since: start).nanosecondsClamped) / 1e9
                let left = Double(stop.duration(since: end).nanosecondsClamped) / 1e9
                if elapsed > 0 { chunk = Int(Double(sent) / elapsed * left / 4).clamped(to: (64 << 10)...(4 << 20)) }
            }
            // A plan small enough for one chunk gets the whole exchange timed instead.
            return counted > 0 ? try Self.kbps(bytes: counted, from: clockStart, to: end) : try Self.kbps(bytes: sent, from: start, to: end)
        }
    }
}
