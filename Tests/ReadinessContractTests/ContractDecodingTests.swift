import ReadinessContractFixtures
import JSON
import Foundation
import Testing
@testable import ReadinessContract

@Suite struct ContractDecodingTests {
    private func faults(_ data: Data, now: Date = Fixtures.exampleNow) -> [ValidationFault] {
        switch ProbeResultDecoder.decode(data, now: now) {
        case .success: return []
        case let .failure(failure): return failure.faults
        }
    }

    @Test func acceptsTheContractExampleAsOneResult() throws {
        let upload = try ProbeResultDecoder.decode(Data(Fixtures.contractExample.utf8), now: Fixtures.exampleNow).get()
        #expect(!upload.wasBatch)
        let result = try #require(upload.results.first)
        #expect(result.runID == UUID(uuidString: "7d5c9a0e-4c1b-4f7e-9d1a-2a6f3f0c8b11"))
        #expect(result.reachability?.count == 3)
        #expect(result.udpTimeout == .init(lowerBoundS: 600, upperBoundS: nil, probeMaxS: 600))
        #expect(result.latency?.first?.rttMs?.p50 == 21.0)
        #expect(result.network.vpn == .init(present: true, tunnel: .split, mediaExcluded: true))
    }

    @Test func acceptsABatchAndSaysItWasOne() throws {
        let batch = "{\"results\": [\(Fixtures.contractExample)]}"
        let upload = try ProbeResultDecoder.decode(Data(batch.utf8), now: Fixtures.exampleNow).get()
        #expect(upload.wasBatch)
        #expect(upload.results.count == 1)
    }

    @Test func ignoresUnknownFields() throws {
        let data = try Fixtures.editedExample { $0["future_section"] = ["x": 1]; $0["agent"] = ["version": "2", "os": "linux", "arch": "arm64"] }
        #expect(faults(data).isEmpty)
    }

    /// Values are JSON text, so the table stays `Sendable`.
    @Test(arguments: [
        ("port", "-1", "/reachability/0/port"),
        ("port", "0", "/reachability/0/port"),
        ("port", "65536", "/reachability/0/port"),
        ("port", "443.5", "/reachability/0/port"),
        ("port", "\"443\"", "/reachability/0/port"),
        ("protocol", "\"sctp\"", "/reachability/0/protocol"),
        ("reachable", "1", "/reachability/0/reachable"),
        ("connect_ms", "-0.1", "/reachability/0/connect_ms"),
        ("host", "\"" + String(repeating: "a", count: 256) + "\"", "/reachability/0/host"),
    ])
    func rejectsABadReachabilityFieldByPointer(field: String, json: String, pointer: String) throws {
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        let data = try Fixtures.editedExample { object in
            var list = object["reachability"] as? [[String: Any]] ?? []
            list[0][field] = value
            object["reachability"] = list
        }
        #expect(faults(data).map(\.pointer) == [pointer])
    }

    @Test func acceptsPortsAtTheEdgesOfTheRange() throws {
        for port in [1, 65_535] {
            let data = try Fixtures.editedExample { object in
                var list = object["reachability"] as? [[String: Any]] ?? []
                list[0]["port"] = port
                object["reachability"] = list
            }
            #expect(faults(data).isEmpty)
        }
    }

    @Test func acceptsAStringOfExactly255Characters() throws {
        let data = try Fixtures.editedExample { $0["agent"] = ["version": String(repeating: "é", count: 255), "os": "linux"] }
        #expect(faults(data).isEmpty)
    }

    @Test func reportsEveryFaultAtOnceNotJustTheFirst() throws {
        let data = try Fixtures.editedExample { object in
            object["run_id"] = "not-a-uuid"
            object.removeValue(forKey: "started_at")
            var latency = object["latency"] as? [[String: Any]] ?? []
            latency[0]["loss_pct"] = 100.5
            object["latency"] = latency
            var network = object["network"] as? [String: Any] ?? [:]
            network["interface"] = "ethernet"
            object["network"] = network
            object["bandwidth"] = ["down_kbps": -1, "up_kbps": 10]
        }
        #expect(faults(data).map(\.pointer) == [
            "/run_id", "/started_at", "/network/interface", "/latency/0/loss_pct", "/bandwidth/down_kbps",
        ])
    }

    @Test(arguments: ["schema", "run_id", "started_at", "finished_at", "agent", "network"])
    func requiresEachRequiredField(field: String) throws {
        let data = try Fixtures.editedExample { $0.removeValue(forKey: field) }
        #expect(faults(data) == [ValidationFault(pointer: "/\(field)", message: "is required")])
    }

    @Test(arguments: ["reachability", "gateway", "tls_inspection", "udp_timeout", "latency", "bandwidth"])
    func acceptsAMissingOptionalSection(section: String) throws {
        let data = try Fixtures.editedExample { $0.removeValue(forKey: section) }
        #expect(faults(data).isEmpty)
    }

    @Test func rejectsFinishedBeforeStarted() throws {
        let data = try Fixtures.editedExample { $0["finished_at"] = "2026-11-24T09:59:59Z" }
        #expect(faults(data).map(\.pointer) == ["/finished_at"])
    }

    @Test(arguments: [
        ("2026-11-24T10:15:00Z", true),   // now + 10 min: allowed
        ("2026-11-24T10:15:01Z", false),  // one second more: rejected
    ])
    func rejectsTimesMoreThanTenMinutesInTheFuture(finished: String, accepted: Bool) throws {
        let data = try Fixtures.editedExample { $0["finished_at"] = finished }
        #expect(faults(data).isEmpty == accepted)
    }

    @Test(arguments: [
        ("2026-11-24T10:00:00Z", true), ("2026-11-24T10:00:00.123Z", true), ("2026-11-24T12:00:00+02:00", true),
        ("2026-11-24t10:00:00z", true), ("2026-11-24T05:00:00.5-05:00", true), ("2026-11-24 10:00:00Z", false),
        ("2026-11-24T10:00:00", false), ("2026-02-30T10:00:00Z", false), ("2026-11-24T24:00:00Z", false),
        ("2026-11-24T10:00:00.Z", false), ("1795514400", false),
    ])
    func parsesRFC3339Timestamps(text: String, valid: Bool) {
        #expect((RFC3339Timestamp.parse(text) != nil) == valid)
    }

    @Test func timestampsWithOffsetsDenoteTheSameInstant() {
        #expect(RFC3339Timestamp.parse("2026-11-24T12:00:00+02:00") == RFC3339Timestamp.parse("2026-11-24T10:00:00Z"))
        #expect(RFC3339Timestamp.parse("2026-11-24T10:00:00Z")?.timeIntervalSince1970 == 1_795_514_400)
        #expect(RFC3339Timestamp.parse("2024-02-29T00:00:00.250Z").map(RFC3339Timestamp.format) == "2024-02-29T00:00:00.25Z")
    }

    @Test func namesFaultsInsideABatchByResultIndex() throws {
        let bad = try String(decoding: Fixtures.editedExample { object in
            var list = object["reachability"] as? [[String: Any]] ?? []
            list[2]["port"] = 70_000
            object["reachability"] = list
            object["run_id"] = "x"
        }, as: UTF8.self)
        let batch = "{\"results\": [\(Fixtures.contractExample), \(bad), 7]}"
        #expect(faults(Data(batch.utf8)).map(\.pointer) == ["/results/1/run_id", "/results/1/reachability/2/port", "/results/2"])
    }

    @Test(arguments: [0, 501])
    func rejectsABatchOfTheWrongSize(count: Int) throws {
        let batch = "{\"results\": [" + Array(repeating: Fixtures.contractExample, count: count).joined(separator: ",") + "]}"
        #expect(faults(Data(batch.utf8)).map(\.pointer) == ["/results"])
    }

    @Test func acceptsABatchOf500() throws {
        let batch = "{\"results\": [" + Array(repeating: Fixtures.contractExample, count: 500).joined(separator: ",") + "]}"
        #expect(faults(Data(batch.utf8)).isEmpty)
    }

    @Test func rejectsAListOfMoreThan256Entries() throws {
        let data = try Fixtures.editedExample { object in
            object["tls_inspection"] = Array(repeating: ["host": "a.sococo.com", "intercepted": false] as [String: Any], count: 257)
        }
        #expect(faults(data).map(\.pointer) == ["/tls_inspection"])
    }

    @Test func rejectsTheSameRunTwiceInABatchWithDifferentContent() throws {
        let changed = try String(decoding: Fixtures.editedExample { $0["bandwidth"] = ["down_kbps": 1, "up_kbps": 1] }, as: UTF8.self)
        let batch = "{\"results\": [\(Fixtures.contractExample), \(changed)]}"
        #expect(faults(Data(batch.utf8)).map(\.pointer) == ["/results/1/run_id"])
    }

    @Test(arguments: ["", "{", "[1,2]", "{\"schema\": tru}", "{\"a\":1} x", "\"text\""])
    func rejectsNonObjectsAndBrokenJSONAtTheRoot(text: String) {
        #expect(faults(Data(text.utf8)).map(\.pointer) == [""])
    }

    @Test func rejectsAnUpperBoundBelowTheLowerBound() throws {
        let data = try Fixtures.editedExample { $0["udp_timeout"] = ["lower_bound_s": 300, "upper_bound_s": 200, "probe_max_s": 600] }
        #expect(faults(data).map(\.pointer) == ["/udp_timeout/upper_bound_s"])
    }

    @Test func canonicalEncodingIgnoresKeyOrderWhitespaceOffsetsAndUnknownFields() throws {
        let original = try ProbeResultDecoder.decode(Data(Fixtures.contractExample.utf8), now: Fixtures.exampleNow).get().results[0]
        let reordered = try Fixtures.editedExample { object in
            object["started_at"] = "2026-11-24T11:00:00+01:00"
            object["unknown_field"] = true
        }
        let other = try ProbeResultDecoder.decode(reordered, now: Fixtures.exampleNow).get().results[0]
        #expect(original.canonicalJSON() == other.canonicalJSON())
        let changed = try ProbeResultDecoder.decode(try Fixtures.editedExample { $0["finished_at"] = "2026-11-24T10:01:31Z" },
                                                    now: Fixtures.exampleNow).get().results[0]
        #expect(original.canonicalJSON() != changed.canonicalJSON())
    }

    @Test func parsesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(Array(#"{"a":"x\u00e9\ud83d\ude00\n\"","b":[1.5e2,-0,true,null]}"#.utf8))
        #expect(value["a"] == .string("xé😀\n\""))
        #expect(value["b"] == .array([.number(150), .number(0), .bool(true), .null]))
    }
}
