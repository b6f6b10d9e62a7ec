import Logging
import STUN
import Sockets
import SystemClock
import Testing
@testable import STUNReflector

/// The reflector on real loopback UDP sockets and threads.
@Suite struct ReflectorLiveTests {
    static var logger: Logger {
        var logger = Logger(label: "reflector-tests")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `body` with a started reflector on 127.0.0.1 port 0 and a client socket; always shuts
    /// the reflector down.
    static func with(limits: ReflectorLimits = ReflectorLimits(),
                     _ body: (STUNReflector, SocketAddress, UDPSocket) async throws -> Void) async throws {
        let reflector = try STUNReflector(
            configuration: ReflectorConfiguration(listen: [SocketAddress(ip: "127.0.0.1", port: 0)!], limits: limits),
            logger: logger)
        reflector.start()
        let client = try UDPSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0)!)
        defer { client.close() }
        do {
            try await body(reflector, reflector.boundAddresses[0], client)
        } catch {
            await reflector.shutdown()
            throw error
        }
        await reflector.shutdown()
    }

    static func request(padding: Int?, answerAfter: UInt32? = nil, id: STUNTransactionID = .random()) -> [UInt8] {
        ReflectorCoreTests.request(padding: padding, answerAfter: answerAfter, id: id)
    }

    /// Every datagram that arrives within `window`.
    static func drain(_ socket: UDPSocket, for window: Duration) throws -> [(bytes: [UInt8], at: MonotonicTime)] {
        let end = MonotonicTime.now() + window
        var received: [(bytes: [UInt8], at: MonotonicTime)] = []
        while MonotonicTime.now() < end {
            guard let datagram = try socket.receive(timeout: end.duration(since: .now())) else { continue }
            received.append((datagram.bytes, .now()))
        }
        return received
    }

    @Test func answersWithTheClientsMappedAddress() async throws {
        try await Self.with { reflector, address, client in
            let id = STUNTransactionID.random()
            try client.send(Self.request(padding: 8, id: id), to: address)
            let datagram = try #require(try client.receive(timeout: .seconds(2)))
            #expect(datagram.from == address)
            let response = try STUNMessage(decoding: datagram.bytes)
            #expect(response.kind == .bindingSuccess)
            #expect(response.transactionID == id)
            let local = try client.localAddress()
            #expect(response.mappedAddress?.ipString == "127.0.0.1")
            #expect(response.mappedAddress?.port == local.port)
            #expect(reflector.counters.answered == 1)
        }
    }

    @Test func doesNotAnswerAnUnpaddedRequest() async throws {
        try await Self.with { reflector, address, client in
            try client.send(Self.request(padding: nil), to: address)
            #expect(try client.receive(timeout: .milliseconds(300)) == nil)
            #expect(reflector.counters.droppedAmplification == 1)
        }
    }

    @Test func delayedAnswersArriveAfterTheDelayAndEchoAnswerAfter() async throws {
        try await Self.with { _, address, client in
            let id = STUNTransactionID.random()
            let request = Self.request(padding: 80, answerAfter: 300, id: id)
            let sent = MonotonicTime.now()
            try client.send(request, to: address)
            let received = try Self.drain(client, for: .milliseconds(900))
            try #require(received.count == 3)
            let messages = try received.map { try STUNMessage(decoding: $0.bytes) }
            #expect(messages.allSatisfy { $0.transactionID == id && $0.kind == .bindingSuccess })
            // The acknowledgement comes at once and without ANSWER-AFTER.
            #expect(messages[0].answerAfterMilliseconds == nil)
            #expect(received[0].at.duration(since: sent) < .milliseconds(200))
            // Then two copies that echo it, the first after the delay, the second 100 ms later.
            #expect(messages[1].answerAfterMilliseconds == 300)
            #expect(messages[2].answerAfterMilliseconds == 300)
            #expect(received[1].at.duration(since: sent) >= .milliseconds(300))
            #expect(received[2].at.duration(since: received[1].at) >= .milliseconds(80))
            // No amplification: everything sent back fits in the one request.
            #expect(received.map(\.bytes.count).reduce(0, +) <= request.count)
        }
    }

    @Test func answersNothingWhenTheDelayedAnswersWouldOutweighTheRequest() async throws {
        try await Self.with { reflector, address, client in
            try client.send(Self.request(padding: 40, answerAfter: 100), to: address)
            #expect(try Self.drain(client, for: .milliseconds(500)).isEmpty)
            #expect(reflector.counters.droppedAmplification == 1)
        }
    }

    @Test func neverSendsMoreBytesThanItReceives() async throws {
        try await Self.with { _, address, client in
            var sentBytes = 0
            for padding in [nil, 0, 4, 8, 12, 40, 76, 80, 200] as [Int?] {
                for answerAfter in [nil, 50] as [UInt32?] {
                    let request = Self.request(padding: padding, answerAfter: answerAfter)
                    sentBytes += request.count
                    try client.send(request, to: address)
                }
            }
            let received = try Self.drain(client, for: .milliseconds(600))
            #expect(!received.isEmpty)
            #expect(received.map(\.bytes.count).reduce(0, +) <= sentBytes)
        }
    }

    @Test func aRetransmittedRequestIsAcknowledgedAgainButAnsweredOnce() async throws {
        try await Self.with { reflector, address, client in
            let request = Self.request(padding: 80, answerAfter: 200)
            try client.send(request, to: address)
            try client.send(request, to: address)
            let received = try Self.drain(client, for: .milliseconds(700))
            let messages = try received.map { try STUNMessage(decoding: $0.bytes) }
            #expect(messages.filter { $0.answerAfterMilliseconds == nil }.count == 2)
            #expect(messages.filter { $0.answerAfterMilliseconds == 200 }.count == 2)
            #expect(reflector.counters.scheduled == 1)
        }
    }

    @Test func dropsPacketsOverTheRateLimit() async throws {
        var limits = ReflectorLimits()
        limits.packetsPerSecond = 1
        limits.burst = 5
        try await Self.with(limits: limits) { reflector, address, client in
            for _ in 0..<20 { try client.send(Self.request(padding: 8), to: address) }
            let received = try Self.drain(client, for: .milliseconds(400))
            #expect(received.count == 5)
            #expect(reflector.counters.droppedRateLimited == 15)
        }
    }

    @Test func boundsPendingDelayedAnswers() async throws {
        var limits = ReflectorLimits()
        limits.maxPendingPerSource = 2
        try await Self.with(limits: limits) { reflector, address, client in
            for _ in 0..<4 { try client.send(Self.request(padding: 80, answerAfter: 60_000), to: address) }
            let acknowledgements = try Self.drain(client, for: .milliseconds(300))
            #expect(acknowledgements.count == 2)
            #expect(reflector.pendingCount == 2)
            #expect(reflector.counters.droppedPendingLimit == 2)
        }
    }

    @Test func dropsMalformedPacketsSilentlyAndKeepsServing() async throws {
        try await Self.with { reflector, address, client in
            let garbage: [[UInt8]] = [
                [], [0x00], Array(repeating: 0xFF, count: 64),
                Array(Self.request(padding: 8).dropLast(4)),
                STUNMessage(kind: .bindingSuccess, transactionID: .random(), attributes: [.padding(40)]).encoded(),
            ]
            for datagram in garbage { try client.send(datagram, to: address) }
            #expect(try client.receive(timeout: .milliseconds(300)) == nil)
            try client.send(Self.request(padding: 8), to: address)
            #expect(try client.receive(timeout: .seconds(2)) != nil)
            let counters = reflector.counters
            #expect(counters.droppedMalformed == 4)
            #expect(counters.droppedNotRequest == 1)
        }
    }

    @Test func servesEveryListenAddressFromItsOwnSocket() async throws {
        let reflector = try STUNReflector(
            configuration: ReflectorConfiguration(listen: [SocketAddress(ip: "127.0.0.1", port: 0)!, SocketAddress(ip: "127.0.0.1", port: 0)!]),
            logger: Self.logger)
        reflector.start()
        let client = try UDPSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0)!)
        for address in reflector.boundAddresses {
            try client.send(Self.request(padding: 80, answerAfter: 50), to: address)
            let replies = try Self.drain(client, for: .milliseconds(400))
            #expect(replies.count == 3)
        }
        #expect(reflector.threadCount == 3)
        await reflector.shutdown()
    }

    @Test func shutdownStopsTheThreadsAndClosesTheSockets() async throws {
        let reflector = try STUNReflector(
            configuration: ReflectorConfiguration(listen: [SocketAddress(ip: "127.0.0.1", port: 0)!]), logger: Self.logger)
        reflector.start()
        #expect(reflector.threadCount == 2)
        let address = reflector.boundAddresses[0]
        let client = try UDPSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0)!)
        // A delayed answer still pending at shutdown is dropped, not sent later.
        try client.send(Self.request(padding: 80, answerAfter: 300), to: address)
        #expect(try client.receive(timeout: .seconds(2)) != nil)
        await reflector.shutdown()
        #expect(reflector.threadCount == 0)
        try client.send(Self.request(padding: 8), to: address)
        #expect(try Self.drain(client, for: .milliseconds(500)).isEmpty)
        // The port is free again.
        let rebound = try UDPSocket(bindingTo: address)
        rebound.close()
    }

    @Test func shutdownBeforeStartReturns() async throws {
        let reflector = try STUNReflector(
            configuration: ReflectorConfiguration(listen: [SocketAddress(ip: "127.0.0.1", port: 0)!]), logger: Self.logger)
        await reflector.shutdown()
        reflector.start()
        #expect(reflector.threadCount == 0)
    }

    @Test func aPortInUseFailsTheBind() throws {
        let taken = try UDPSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0)!)
        defer { taken.close() }
        #expect(throws: SocketError.self) {
            _ = try STUNReflector(configuration: ReflectorConfiguration(listen: [try taken.localAddress()]), logger: Self.logger)
        }
    }
}
