import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Uploads and other bodies held to I-JSON (RFC 7493) over the live service. Issue 14: each of
/// these was a 201 (invalid UTF-8 stored as U+FFFD, `loss_pct` 150 then 0 stored as 0, U+0000
/// stored and then breaking SQL on the body).
@Suite struct StrictJSONUploadTests {
    /// The sample's bytes with `old` (which must occur once) replaced by `new`.
    static func sample(replacing old: String, with new: [UInt8]) throws -> Data {
        let bytes = [UInt8](ResultSamples.single())
        let pattern = Array(old.utf8)
        let at = try #require(bytes.indices.first { bytes[$0...].starts(with: pattern) })
        return Data(bytes[..<at] + new + bytes[(at + pattern.count)...])
    }

    @Test func invalidUTF8IsA400NamingTheByteOffsetAndStoresNothing() async throws {
        try await LiveService.with { live in
            let agent = try await live.fixtures.agent(site: try await live.fixtures.site())
            let body = try Self.sample(replacing: "lobby-pc-3", with: Array("lobby".utf8) + [0xC3, 0x28] + Array("pc".utf8))
            let offset = try #require([UInt8](body).firstIndex(of: 0xC3))
            let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: body)
            #expect(response.status == 400)
            let problem = try response.decoded(ProblemBody.self)
            #expect(problem.type == "/problems/invalid-request")
            #expect(problem.detail == "the body is not valid JSON: invalid UTF-8 at byte \(offset)")
            #expect(try await ResultUploadTests.count(live, "results") == 0)
        }
    }

    @Test func aRepeatedMemberNameIsA422NamingItsPointer() async throws {
        try await LiveService.with { live in
            let agent = try await live.fixtures.agent(site: try await live.fixtures.site())
            let body = try Self.sample(replacing: #""loss_pct":0"#, with: Array(#""loss_pct":150,"loss_pct":0"#.utf8))
            let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: body)
            #expect(response.status == 422)
            let problem = try response.decoded(ProblemBody.self)
            #expect(problem.type == "/problems/validation-failed")
            #expect(problem.pointers == ["/latency/0/loss_pct"])
            #expect(try await ResultUploadTests.count(live, "results") == 0)
        }
    }

    @Test func uPlus0000InAStringOfAResultIsA422NamingItsPointer() async throws {
        try await LiveService.with { live in
            let agent = try await live.fixtures.agent(site: try await live.fixtures.site())
            let body = try Self.sample(replacing: "lobby-pc-3", with: Array(#"lobby\u0000pc"#.utf8))
            let batch = Data(Array(#"{"results":["#.utf8) + [UInt8](ResultSamples.single()) + Array(",".utf8) + [UInt8](body) + Array("]}".utf8))
            let single = try await live.client.send("POST", "/v1/results", token: agent.token, body: body)
            #expect(single.status == 422)
            #expect(try single.problemPointers() == ["/agent/hostname"])
            let inBatch = try await live.client.send("POST", "/v1/results", token: agent.token, body: batch)
            #expect(inBatch.status == 422)
            #expect(try inBatch.problemPointers() == ["/results/1/agent/hostname"])
            #expect(try await ResultUploadTests.count(live, "results") == 0)
        }
    }

    @Test func otherBodiesAreHeldToTheSameRules() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let repeated = try await live.client.send(
                "POST", "/v1/sites", token: admin, body: Data(#"{"name":"HQ","expected_users":10,"name":"Branch"}"#.utf8))
            #expect(repeated.status == 422)
            #expect(try repeated.problemPointers() == ["/name"])
            let notUTF8 = try await live.client.send("POST", "/v1/sites", token: admin, body: Data([UInt8](#"{"name":"H"#.utf8) + [0xFF] + Array(#""}"#.utf8)))
            #expect(notUTF8.status == 400)
            #expect(try notUTF8.decoded(ProblemBody.self).detail == "the body is not valid JSON: invalid UTF-8 at byte 10")
            let sites = try await live.database.query("SELECT count(*)::int8 AS n FROM sites")
            #expect(try sites.first?.decode(Int.self, column: "n") == 0)
        }
    }
}
