#if canImport(Glibc)
import Glibc
#endif
import Logging
import STUN
import Sockets
import Testing
@testable import STUNReflector

/// `listenWherePermitted`: bound when the process may, reported (not thrown) when it may not.
@Suite struct ReflectorWherePermittedTests {
    static let loopback = SocketAddress(ip: "127.0.0.1", port: 0)!

    @Test func bindsTheRequiredAndThePermittedAddressesAndAnswersOnBoth() async throws {
        let reflector = try STUNReflector(
            configuration: ReflectorConfiguration(listen: [Self.loopback], listenWherePermitted: [Self.loopback]),
            logger: ReflectorLiveTests.logger)
        #expect(reflector.boundAddresses.count == 2)
        #expect(reflector.unboundAddresses.isEmpty)
        reflector.start()
        let client = try UDPSocket(bindingTo: Self.loopback)
        defer { client.close() }
        for address in reflector.boundAddresses {
            let id = STUNTransactionID.random()
            try client.send(ReflectorLiveTests.request(padding: 8, id: id), to: address)
            let reply = try #require(try client.receive(timeout: .seconds(2)))
            #expect(try STUNMessage(decoding: reply.bytes).transactionID == id)
        }
        await reflector.shutdown()
    }

    @Test func aPermittedAddressItCannotBindIsReportedWithTheReason() async throws {
        let taken = try UDPSocket(bindingTo: Self.loopback)
        defer { taken.close() }
        let takenAddress = try taken.localAddress()
        let reflector = try STUNReflector(
            configuration: ReflectorConfiguration(listen: [Self.loopback], listenWherePermitted: [takenAddress]),
            logger: ReflectorLiveTests.logger)
        #expect(reflector.boundAddresses.count == 1)
        #expect(reflector.unboundAddresses.map(\.address) == [takenAddress])
        #expect(reflector.unboundAddresses.first?.reason.contains("errno \(EADDRINUSE)") == true)
        await reflector.shutdown()
    }

    @Test func aRequiredAddressItCannotBindStillThrows() throws {
        let taken = try UDPSocket(bindingTo: Self.loopback)
        defer { taken.close() }
        let takenAddress = try taken.localAddress()
        #expect(throws: SocketError.self) {
            _ = try STUNReflector(
                configuration: ReflectorConfiguration(listen: [takenAddress], listenWherePermitted: [Self.loopback]),
                logger: ReflectorLiveTests.logger)
        }
    }
}
