import STUN
import Sockets
import SystemClock

/// A datagram to send: on which of the reflector's sockets, to whom.
struct OutgoingDatagram: Equatable {
    var socket: Int
    var bytes: [UInt8]
    var destination: SocketAddress
}

/// The reflector's decisions, without sockets, threads or clocks: fed datagrams and the time,
/// it answers with what to send now and what to send later. Not thread-safe; the reflector
/// calls it under its lock.
struct ReflectorCore {
    let limits: ReflectorLimits
    private(set) var counters = ReflectorCounters()
    private var sources: [SourceKey: SourceState] = [:]
    private var queue = DelayedAnswerQueue()
    /// Requests with delayed answers still to send, so a retransmission does not schedule more.
    private var pendingRequests: Set<PendingRequest> = []
    private var sequence: UInt64 = 0
    private var lastSweep: MonotonicTime?

    init(limits: ReflectorLimits) {
        self.limits = limits
    }

    var pendingCount: Int { pendingRequests.count }
    var trackedSources: Int { sources.count }
    var nextDue: MonotonicTime? { queue.nextDue }

    /// One received datagram: the immediate answer, if any. Every datagram costs its source a
    /// token, whatever it holds, so garbage cannot be sent faster than requests.
    mutating func receive(_ bytes: [UInt8], from source: SocketAddress, socket: Int, now: MonotonicTime) -> OutgoingDatagram? {
        counters.received += 1
        let key = SourceKey(source)
        guard admit(key, now: now) else { return nil }
        let request: STUNMessage
        do {
            request = try STUNMessage(decoding: bytes)
        } catch {
            counters.droppedMalformed += 1
            return nil
        }
        guard request.kind == .bindingRequest else {
            counters.droppedNotRequest += 1
            return nil
        }
        let acknowledgement = ReflectorResponses.success(to: request, from: source, answerAfter: nil)
        guard let milliseconds = request.answerAfterMilliseconds else {
            return answer(acknowledgement, to: source, socket: socket, budget: bytes.count)
        }
        guard (1...limits.maxAnswerAfterMilliseconds).contains(milliseconds) else {
            counters.droppedMalformed += 1
            return nil
        }
        let pending = PendingRequest(source: source, socket: socket, transactionID: request.transactionID)
        if pendingRequests.contains(pending) {
            // A retransmission: acknowledge again (the first ack may have been lost) but keep
            // the one schedule; the budget is this datagram's own size.
            return answer(acknowledgement, to: source, socket: socket, budget: bytes.count)
        }
        let delayed = ReflectorResponses.success(to: request, from: source, answerAfter: milliseconds)
        // No amplification: the acknowledgement and every delayed copy together fit in the request.
        guard acknowledgement.count + limits.delayedAnswerCount * delayed.count <= bytes.count else {
            counters.droppedAmplification += 1
            return nil
        }
        guard pendingRequests.count < limits.maxPendingTotal, (sources[key]?.pending ?? 0) < limits.maxPendingPerSource else {
            counters.droppedPendingLimit += 1
            return nil
        }
        sequence += 1
        queue.insert(DelayedAnswer(
            due: now + .milliseconds(Int64(milliseconds)), socket: socket, destination: source,
            transactionID: request.transactionID, bytes: delayed, remaining: limits.delayedAnswerCount, sequence: sequence))
        pendingRequests.insert(pending)
        sources[key]?.pending += 1
        counters.scheduled += 1
        counters.answered += 1
        return OutgoingDatagram(socket: socket, bytes: acknowledgement, destination: source)
    }

    /// Delayed answers due at `now`; each request's later copies are rescheduled
    /// `delayedAnswerSpacing` apart.
    mutating func takeDue(now: MonotonicTime) -> [OutgoingDatagram] {
        var due: [OutgoingDatagram] = []
        while var answer = queue.popDue(now: now) {
            due.append(OutgoingDatagram(socket: answer.socket, bytes: answer.bytes, destination: answer.destination))
            counters.delayedSent += 1
            answer.remaining -= 1
            if answer.remaining > 0 {
                answer.due = answer.due + limits.delayedAnswerSpacing
                queue.insert(answer)
            } else {
                pendingRequests.remove(PendingRequest(source: answer.destination, socket: answer.socket, transactionID: answer.transactionID))
                sources[SourceKey(answer.destination)]?.pending -= 1
            }
        }
        return due
    }

    mutating func countSendFailure() {
        counters.sendFailures += 1
    }

    private mutating func answer(_ bytes: [UInt8], to source: SocketAddress, socket: Int, budget: Int) -> OutgoingDatagram? {
        guard bytes.count <= budget else {
            counters.droppedAmplification += 1
            return nil
        }
        counters.answered += 1
        return OutgoingDatagram(socket: socket, bytes: bytes, destination: source)
    }

    // MARK: - Sources

    /// Takes a token from the source's bucket, making room in the table for a new source if
    /// it can.
    private mutating func admit(_ key: SourceKey, now: MonotonicTime) -> Bool {
        if sources[key] == nil {
            if sources.count >= limits.maxSources { sweepIdleSources(now: now) }
            guard sources.count < limits.maxSources else {
                counters.droppedSourceTableFull += 1
                return false
            }
            sources[key] = SourceState(bucket: TokenBucket(capacity: limits.burst, now: now))
        }
        guard sources[key]?.bucket.take(rate: limits.packetsPerSecond, capacity: limits.burst, now: now) == true else {
            counters.droppedRateLimited += 1
            return false
        }
        return true
    }

    /// Forgets sources with a full bucket and nothing pending (forgetting them changes no
    /// decision). At most once a second, so a flood of new sources against a full table costs
    /// one scan a second, not one per packet.
    private mutating func sweepIdleSources(now: MonotonicTime) {
        if let lastSweep, now.duration(since: lastSweep) < .seconds(1) { return }
        lastSweep = now
        let rate = limits.packetsPerSecond
        let capacity = limits.burst
        sources = sources.filter { _, state in
            state.pending > 0 || !state.bucket.isFull(rate: rate, capacity: capacity, now: now)
        }
    }
}

/// Rate limits apply per IPv4 address and per IPv6 /64 (RFC 6177: a /64 is what one site is
/// given, so rotating through it buys an attacker nothing).
struct SourceKey: Hashable {
    let prefix: [UInt8]

    init(_ address: SocketAddress) {
        prefix = address.family == .ipv4 ? address.ipBytes : Array(address.ipBytes.prefix(8))
    }
}

struct SourceState {
    var bucket: TokenBucket
    var pending = 0
}

struct PendingRequest: Hashable {
    let source: SocketAddress
    let socket: Int
    let transactionID: STUNTransactionID
}
