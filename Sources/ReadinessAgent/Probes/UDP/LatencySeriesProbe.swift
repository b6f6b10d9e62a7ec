import Foundation
import ReadinessContract
import Sockets
import STUN
import SystemClock

/// A latency series: `samples` STUN Binding requests `interval` apart (a media-like stream,
/// no retransmissions), each matched to its answer by transaction ID. An answer later than
/// `lateAfter` counts as lost, as a media packet that late would be.
struct LatencySeriesProbe: Sendable {
    let samples: Int
    let interval: Duration
    let padded: Bool
    var lateAfter: Duration = .seconds(1)

    /// Round trips in send order, nil for the unanswered.
    func run(_ target: AgentPlan.HostPort, progress: (@Sendable (Int) -> Void)? = nil) async throws -> [Double?] {
        let samples = samples, interval = interval, padded = padded, lateAfter = lateAfter
        return try await DedicatedThread.run(name: "probe-latency") { () throws -> [Double?] in
            let exchange = try STUNExchange.open(host: target.host, port: target.port)
            defer { exchange.close() }
            var series = RoundTrips(samples: samples, lateAfter: lateAfter, progress: progress)
            let start = MonotonicTime.now()
            for index in 0..<samples {
                try series.collect(from: exchange, until: start + interval * index)
                let request = STUNExchange.request(paddedTo: padded ? STUNExchange.reflectorRequestSize : nil)
                series.pending[request.transactionID] = (index, MonotonicTime.now())
                _ = try? exchange.socket.send(request.encoded())
            }
            // Stragglers: until the last one is late, or everything has answered.
            let end = MonotonicTime.now() + lateAfter
            while series.answered < samples && MonotonicTime.now() < end {
                try series.collect(from: exchange, until: min(end, MonotonicTime.now() + .milliseconds(50)))
            }
            return series.rtts
        }
    }

    /// The series' state on its thread: the requests waiting for an answer and the round trips
    /// so far. A struct with a mutating method rather than a nested function capturing these as
    /// `var`s: Swift 6.3.1's MandatoryAllocBoxToStack pass corrupts its own heap when it
    /// specializes such a function for the captured boxes, and `swift build -c release` of this
    /// module crashed the compiler ("corrupted double-linked list").
    private struct RoundTrips {
        var rtts: [Double?]
        var pending: [STUNTransactionID: (index: Int, sent: MonotonicTime)] = [:]
        var answered = 0
        let lateAfter: Duration
        let progress: (@Sendable (Int) -> Void)?

        init(samples: Int, lateAfter: Duration, progress: (@Sendable (Int) -> Void)?) {
            rtts = [Double?](repeating: nil, count: samples)
            self.lateAfter = lateAfter
            self.progress = progress
        }

        /// Takes the answers that arrive before `deadline`.
        mutating func collect(from exchange: STUNExchange, until deadline: MonotonicTime) throws {
            while MonotonicTime.now() < deadline {
                let datagram: (bytes: [UInt8], from: SocketAddress)?
                do {
                    datagram = try exchange.socket.receive(timeout: deadline.duration(since: .now()))
                } catch let error where error.kind == .refused {
                    // ICMP port unreachable for one datagram: that sample is lost, go on.
                    continue
                }
                guard let datagram else { return }
                let now = MonotonicTime.now()
                guard let message = try? STUNMessage(decoding: datagram.bytes), message.kind == .bindingSuccess,
                      let entry = pending.removeValue(forKey: message.transactionID),
                      now.duration(since: entry.sent) <= lateAfter
                else { continue }
                rtts[entry.index] = now.milliseconds(since: entry.sent)
                answered += 1
                progress?(answered)
            }
        }
    }
}

/// The fallback when no UDP answers at all: TCP connects to the service at the same cadence
/// (a TCP handshake's round trip stands in for the media path's).
struct TCPLatencySeries: Sendable {
    let samples: Int
    let interval: Duration
    var timeout: Duration = .seconds(1)

    func run(host: String, port: Int) async throws -> [Double?] {
        let samples = samples, interval = interval, timeout = timeout
        return try await DedicatedThread.run(name: "probe-latency-tcp") { () throws -> [Double?] in
            let addresses = try HostResolver.resolve(host, port: port, transport: .tcp)
            let start = MonotonicTime.now()
            var rtts: [Double?] = []
            for index in 0..<samples {
                let due = start + interval * index
                let wait = due.duration(since: .now())
                if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.nanosecondsClamped) / 1e9) }
                let begin = MonotonicTime.now()
                if let socket = try? TCPClientSocket.connect(to: addresses, timeout: timeout) {
                    rtts.append(MonotonicTime.now().milliseconds(since: begin))
                    socket.close()
                } else {
                    rtts.append(nil)
                }
            }
            return rtts
        }
    }
}
