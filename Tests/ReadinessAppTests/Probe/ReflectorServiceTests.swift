import JSON
import STUN
import STUNReflector
import Sockets
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// The reflector as `readiness serve` runs it: configured, bound, named in plans, stopped.
@Suite struct ReflectorServiceTests {
    @Test func theServiceReflectorAnswersAndThePlanNamesItsPort() async throws {
        let reflector = try await LiveService.with(configure: { $0.reflectorListen = .addresses(["127.0.0.1:0"]) }) { live in
            let reflector = try #require(live.service.reflector)
            let address = reflector.boundAddresses[0]
            #expect(reflector.threadCount == 2)

            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let plan = try await live.client.get("/v1/agent/plan", token: agent.token)
            let named = try plan.decoded(AgentPlanAnswer.self).reflector
            #expect(named.port == Int(address.port))
            #expect(named.host == "127.0.0.1")

            let client = try UDPSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0)!)
            defer { client.close() }
            let id = STUNTransactionID.random()
            try client.send(STUNMessage(kind: .bindingRequest, transactionID: id, attributes: [.padding(8)]).encoded(), to: address)
            let reply = try #require(try client.receive(timeout: .seconds(2)))
            let message = try STUNMessage(decoding: reply.bytes)
            #expect(message.transactionID == id)
            #expect(message.mappedAddress?.port == (try client.localAddress()).port)
            return reflector
        }
        #expect(reflector.threadCount == 0, "shutdown stops the reflector's threads")
    }

    @Test func aConfiguredReflectorPortWinsInThePlan() async throws {
        try await LiveService.with(configure: {
            $0.reflectorListen = .addresses(["127.0.0.1:0"])
            $0.reflectorPort = 443
            $0.reflectorHost = "reflector.example.net"
        }) { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let named = try await live.client.get("/v1/agent/plan", token: agent.token).decoded(AgentPlanAnswer.self).reflector
            #expect(named.port == 443)
            #expect(named.host == "reflector.example.net")
        }
    }

    @Test func offStartsNoReflector() async throws {
        try await LiveService.with { live in
            #expect(live.service.reflector == nil)
        }
    }

    @Test func theDefaultListensOnTheHTTPHostAtPort3478And443WherePermitted() throws {
        let configuration = try AppConfiguration(environment: [:])
        #expect(configuration.reflectorListen == .httpHost)
        #expect(configuration.reflectorPort == nil)
        let addresses = try configuration.reflectorListen.socketAddresses(httpHost: "127.0.0.1")
        #expect(addresses.required == [SocketAddress(ip: "127.0.0.1", port: 3478)!])
        #expect(addresses.wherePermitted == [SocketAddress(ip: "127.0.0.1", port: 443)!])
        #expect(configuration.reflectorLimits == ReflectorLimits())
    }

    @Test func listedAddressesAreAllRequired() throws {
        let addresses = try ReflectorListen.addresses(["127.0.0.1:3478"]).socketAddresses(httpHost: "ignored")
        #expect(addresses == ReflectorAddresses(required: [SocketAddress(ip: "127.0.0.1", port: 3478)!], wherePermitted: []))
    }

    /// The default configuration with free ports standing in for 3478 and 443.
    static func defaultListen(required: UInt16 = 0, wherePermitted: UInt16) -> (inout AppConfiguration) -> Void {
        { configuration in
            configuration.reflectorListen = .httpHost
            configuration.reflectorDefaultPorts = ReflectorDefaultPorts(required: required, wherePermitted: [wherePermitted])
        }
    }

    @Test func theDefaultBindsBothPortsAndReadinessListsThem() async throws {
        try await LiveService.with(configure: Self.defaultListen(wherePermitted: 0)) { live in
            let reflector = try #require(live.service.reflector)
            #expect(reflector.boundAddresses.count == 2)
            #expect(reflector.unboundAddresses.isEmpty)
            #expect(reflector.threadCount == 3, "a receiver per socket and the timer")
            let ready = try await live.client.get("/readyz")
            #expect(ready.status == 200)
            let status = try ready.decoded(ReflectorReadyAnswer.self).reflector
            #expect(status.ports == reflector.boundAddresses.map { Int($0.port) }.sorted())
            #expect(status.unboundPorts == [])
            // Left out, not null, when there is nothing to say.
            #expect(try JSONParser.parse(ready.body)["reflector"]?["note"] == nil)
            // Both sockets answer.
            let client = try UDPSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0)!)
            defer { client.close() }
            for address in reflector.boundAddresses {
                let id = STUNTransactionID.random()
                try client.send(STUNMessage(kind: .bindingRequest, transactionID: id, attributes: [.padding(8)]).encoded(), to: address)
                let reply = try #require(try client.receive(timeout: .seconds(2)))
                #expect(try STUNMessage(decoding: reply.bytes).transactionID == id)
            }
        }
    }

    @Test func aSecondPortThatCannotBeBoundIsReportedNotFatal() async throws {
        let taken = try UDPSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0)!)
        defer { taken.close() }
        let takenPort = try taken.localAddress().port
        try await LiveService.with(configure: Self.defaultListen(wherePermitted: takenPort)) { live in
            let reflector = try #require(live.service.reflector)
            #expect(reflector.boundAddresses.count == 1)
            #expect(reflector.unboundAddresses.map(\.address) == [SocketAddress(ip: "127.0.0.1", port: takenPort)!])
            let ready = try await live.client.get("/readyz")
            #expect(ready.status == 200, "an unbound optional port does not make the service unready")
            let status = try ready.decoded(ReflectorReadyAnswer.self).reflector
            #expect(status.ports == [Int(reflector.boundAddresses[0].port)])
            #expect(status.unboundPorts == [Int(takenPort)])
            let note = try #require(status.note)
            #expect(note.contains("UDP \(takenPort)") && note.contains("udp-443") && note.contains("stay unknown"))

            // The default policy's udp-443 has no UDP 443 target: the plan says so.
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let plan = try await live.client.get("/v1/agent/plan", token: agent.token).decoded(AgentPlanAnswer.self)
            #expect(!AgentPlanTests.hostPorts(plan.stunTargets).contains { $0.hasSuffix(":443") })
            let untargeted = try #require(plan.untargetedRules)
            #expect(untargeted.map(\.rule) == ["udp-443"])
        }
    }

    @Test func aReflectorOn443PutsAUDP443TargetInThePlan() async throws {
        // The plan's reflector port stands for what this process listens on; 443 itself may
        // be taken or privileged on a test machine, so it is configured, not bound.
        try await LiveService.with(configure: {
            $0.reflectorListen = .addresses(["127.0.0.1:0"])
            $0.reflectorPort = 443
        }) { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let plan = try await live.client.get("/v1/agent/plan", token: agent.token).decoded(AgentPlanAnswer.self)
            #expect(AgentPlanTests.hostPorts(plan.stunTargets).contains("127.0.0.1:443"))
            #expect(plan.untargetedRules?.isEmpty == true)
        }
    }

    @Test func readsTheReflectorSettingsFromTheEnvironment() throws {
        let configuration = try AppConfiguration(environment: [
            "READINESS_REFLECTOR_LISTEN": " 127.0.0.1:3478 , [::1]:3479",
            "READINESS_REFLECTOR_PORT": "443",
            "READINESS_REFLECTOR_RATE": "50",
            "READINESS_REFLECTOR_BURST": "100",
            "READINESS_REFLECTOR_MAX_ANSWER_AFTER_MS": "60000",
            "READINESS_REFLECTOR_MAX_PENDING": "10",
            "READINESS_REFLECTOR_MAX_PENDING_PER_SOURCE": "3",
        ])
        #expect(configuration.reflectorListen == .addresses(["127.0.0.1:3478", "[::1]:3479"]))
        #expect(try configuration.reflectorListen.socketAddresses(httpHost: "ignored").required
            == [SocketAddress(ip: "127.0.0.1", port: 3478)!, SocketAddress(ip: "::1", port: 3479)!])
        #expect(configuration.reflectorPort == 443)
        #expect(configuration.reflectorLimits.packetsPerSecond == 50)
        #expect(configuration.reflectorLimits.burst == 100)
        #expect(configuration.reflectorLimits.maxAnswerAfterMilliseconds == 60_000)
        #expect(configuration.reflectorLimits.maxPendingTotal == 10)
        #expect(configuration.reflectorLimits.maxPendingPerSource == 3)
        #expect(try AppConfiguration(environment: ["READINESS_REFLECTOR_LISTEN": "OFF"]).reflectorListen == .off)
    }

    @Test(arguments: [
        ("READINESS_REFLECTOR_LISTEN", "127.0.0.1"),
        ("READINESS_REFLECTOR_LISTEN", "::1:3478"),
        ("READINESS_REFLECTOR_LISTEN", "127.0.0.1:3478,"),
        ("READINESS_REFLECTOR_LISTEN", "127.0.0.1:99999"),
        ("READINESS_REFLECTOR_RATE", "0"),
        ("READINESS_REFLECTOR_BURST", "many"),
        ("READINESS_REFLECTOR_MAX_ANSWER_AFTER_MS", "0"),
        ("READINESS_REFLECTOR_MAX_PENDING", "-1"),
        ("READINESS_REFLECTOR_MAX_PENDING_PER_SOURCE", "0"),
    ])
    func rejectsAMalformedSettingNamingTheVariable(variable: String, value: String) {
        #expect {
            _ = try AppConfiguration(environment: [variable: value])
        } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }

    @Test func aTakenReflectorPortStopsTheStart() async throws {
        let taken = try UDPSocket(bindingTo: SocketAddress(ip: "127.0.0.1", port: 0)!)
        defer { taken.close() }
        var configuration = LiveService.configuration(databaseURL: nil)
        configuration.reflectorListen = .addresses(["127.0.0.1:\(try taken.localAddress().port)"])
        await #expect(throws: SocketError.self) {
            _ = try await ReadinessService.make(configuration: configuration, logger: LiveService.logger)
        }
    }
}
