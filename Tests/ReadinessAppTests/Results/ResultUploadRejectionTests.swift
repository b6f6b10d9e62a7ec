import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport
import SystemCrypto

@Suite struct ResultUploadRejectionTests {
    @Test func batchWithOneInvalidResultStoresNoneAndNamesItByPointer() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            var results = (0..<5).map { _ in ResultSamples.json() }
            results[3] = ResultSamples.json(lossPct: 140)
            let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.batch(results))
            #expect(response.status == 422)
            #expect(try response.problemPointers() == ["/results/3/latency/0/loss_pct"])
            #expect(try await ResultUploadTests.count(live, "results") == 0)
        }
    }

    @Test func invalidSingleResultIsNamedByPointerWithoutPrefix() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            var result = ResultSamples.json(lossPct: 140)
            result.removeValue(forKey: "finished_at")
            let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.data(result))
            #expect(response.status == 422)
            let pointers = Set(try response.problemPointers())
            #expect(pointers.contains("/latency/0/loss_pct"))
            #expect(pointers.contains("/finished_at"))
        }
    }

    @Test func gzipBodiesAreInflatedAndCorruptOnesAreABadRequest() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let compressed = try Gzip.compress(ResultSamples.single())
            let ok = try await live.client.send("POST", "/v1/results", token: agent.token, headers: ["Content-Encoding": "gzip"], body: compressed)
            #expect(ok.status == 201)
            var corrupt = compressed
            corrupt.replaceSubrange(12..<40, with: [UInt8](repeating: 0x55, count: 28))
            let bad = try await live.client.send("POST", "/v1/results", token: agent.token, headers: ["Content-Encoding": "gzip"], body: corrupt)
            #expect(bad.status == 400)
            let truncated = compressed.prefix(compressed.count / 2)
            let short = try await live.client.send("POST", "/v1/results", token: agent.token, headers: ["Content-Encoding": "gzip"], body: Data(truncated))
            #expect(short.status == 400)
        }
    }

    @Test func gzipBombBeyondTheLimitIsTooLarge() async throws {
        let zeros = Data(count: UploadBody.limit + 1024)
        let bomb = try Gzip.compress(zeros)
        #expect(throws: Inflater.Failure.tooLarge) { try Inflater.inflate(Array(bomb), format: .gzip, limit: UploadBody.limit) }
    }

    @Test func unsupportedEncodingAndContentTypeAre415() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let body = ResultSamples.single()
            let br = try await live.client.send("POST", "/v1/results", token: agent.token, headers: ["Content-Encoding": "br"], body: body)
            #expect(br.status == 415)
            let text = try await live.client.send("POST", "/v1/results", token: agent.token, headers: ["Content-Type": "text/plain"], body: body)
            #expect(text.status == 415)
        }
    }

    @Test func bodyOverSixteenMebibytesIs413() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let huge = Data(repeating: 0x20, count: UploadBody.limit + 1)
            let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: huge)
            #expect(response.status == 413)
        }
    }

    @Test func onlyAgentTokensMayUpload() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            let forbidden = try await live.client.send("POST", "/v1/results", token: read, body: ResultSamples.single())
            #expect(forbidden.status == 403)
            let anonymous = try await live.client.send("POST", "/v1/results", body: ResultSamples.single())
            #expect(anonymous.status == 401)
            #expect(try await ResultUploadTests.count(live, "results") == 0)
        }
    }

    @Test func archivedSiteAcceptsNoResults() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            try await live.database.execute("UPDATE sites SET archived_at = now() WHERE id = \(site)")
            let response = try await live.client.send("POST", "/v1/results", token: agent.token, body: ResultSamples.single())
            #expect(response.status == 409)
            #expect(try await ResultUploadTests.count(live, "results") == 0)
        }
    }
}
