import Foundation
import JSON
import HTTPServer
import Logging
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// `POST /v1/results` answers on the event loop (and from the writer's thread) once the token,
/// the site and the months' partitions are cached, and in a Task until then. Both ways give the
/// same answers: each request is sent to a server whose caches are warm and to one whose
/// caches are cold, and the answers are compared byte for byte.
@Suite struct IngestPathTests {
    /// The paths the ingest reported, in order.
    final class Paths: @unchecked Sendable {  // `taken` behind `lock`
        private let lock = NSLock()
        private var taken: [ResultIngest.Path] = []

        func append(_ path: ResultIngest.Path) { lock.withLock { taken.append(path) } }
        /// The paths reported since the last call.
        func take() -> [ResultIngest.Path] { lock.withLock { defer { taken = [] }; return taken } }
    }

    /// A clock that moves only when the test moves it: under a full run's load a few uploads
    /// can take longer than the site cache's 5 s, which expired the site on a running clock.
    final class TestClock: @unchecked Sendable {  // `now` behind `lock`
        private let lock = NSLock()
        private var frozen = Date()

        func advance(_ seconds: TimeInterval) { lock.withLock { frozen += seconds } }
        var now: Date { lock.withLock { frozen } }
    }

    /// A server of its own (fresh caches) with the upload route, over the live service's database.
    struct IngestServer {
        let server: HTTPServer
        let client: APIClient
        let paths: Paths

        static func start(_ live: LiveService, clock: TestClock = TestClock()) throws -> IngestServer {
            var configuration = live.configuration
            // Longer than the site cache's 5 s, so a moved clock can expire the site alone.
            configuration.authCacheTTL = 60
            // The paths of uploads are the subject, not budgets: a token's request budget lease
            // running out would send an upload the waiting way (Limits/RequestBudgets).
            configuration.limits.requestsPerSecond = 0
            let context = AppContext(database: live.database, logger: LiveService.logger, configuration: configuration,
                                     clock: { clock.now })
            let paths = Paths()
            let ingest = ResultIngest(context: context, observer: { paths.append($0) })
            var router = Router()
            router.on(.post, "/v1/results", bodyLimit: UploadBody.limit, deferred: { request, _, sink in
                ingest.upload(request, answer: sink)
            })
            let server = HTTPServer(
                configuration: .init(host: "127.0.0.1", port: 0, eventLoops: 1),
                // The service's problem types and error translation: storage errors become answers there.
                responder: router.buildResponder(middleware: [RequestIDMiddleware()], problemTypes: ProblemTypes.server,
                                                 translatingErrors: DatabaseErrors.translated),
                logger: LiveService.logger)
            let port = try server.start()
            return IngestServer(server: server, client: APIClient(port: port), paths: paths)
        }

        func upload(_ token: String, _ body: Data, headers: [String: String] = [:]) async throws -> APIClient.Response {
            try await client.send("POST", "/v1/results", token: token, headers: headers, body: body)
        }
    }

    /// Status, body and the fields that are not per response (Date, X-Request-Id).
    /// The names of the answer's top-level members; throws when the body is no JSON object.
    static func memberNames(_ response: APIClient.Response) throws -> [String] {
        let tree = try response.jsonTree()
        guard case .object(let members) = tree else { throw JSONReadError(expected: "object", found: tree) }
        return members.map(\.key)
    }

    static func same(_ first: APIClient.Response, _ second: APIClient.Response) -> Bool {
        first.status == second.status && first.body == second.body
            && first.header("Content-Type") == second.header("Content-Type")
            && first.header("WWW-Authenticate") == second.header("WWW-Authenticate")
    }

    @Test func aFreshTokenWaitsOnceThenUploadsRunInlineWithTheSameAnswers() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let warm = try IngestServer.start(live)
            let cold = try IngestServer.start(live)
            let runID = UUID()
            let body = ResultSamples.single(runID)

            let created = try await warm.upload(agent.token, body)
            #expect(created.status == 201)
            #expect(try created.decoded(UploadOutcomeBody.self).status == "created")
            #expect(warm.paths.take() == [.waitedForToken])

            // A replay: inline on the warm server, through a Task on the cold one.
            let inlineReplay = try await warm.upload(agent.token, body)
            #expect(warm.paths.take() == [.inline])
            let waitedReplay = try await cold.upload(agent.token, body)
            #expect(cold.paths.take() == [.waitedForToken])
            #expect(inlineReplay.status == 200)
            #expect(try inlineReplay.decoded(UploadOutcomeBody.self).status == "duplicate")
            #expect(inlineReplay.header("X-Request-Id")?.count == 32)
            #expect(Self.same(inlineReplay, waitedReplay))

            // Rejections the database decides: the same run id with other content (409).
            let conflicting = ResultSamples.single(runID, healthy: false)
            let inlineConflict = try await warm.upload(agent.token, conflicting)
            #expect(warm.paths.take() == [.inline])
            let coldForConflict = try IngestServer.start(live)
            let waitedConflict = try await coldForConflict.upload(agent.token, conflicting)
            #expect(coldForConflict.paths.take() == [.waitedForToken])
            #expect(inlineConflict.status == 409)
            #expect(Self.same(inlineConflict, waitedConflict))

            // Rejections of the request itself: 422, 415.
            let invalid = ResultSamples.data(["schema": "probe-result/v1", "run_id": "not-a-uuid"])
            let textPlain = ["Content-Type": "text/plain"]
            let inlineInvalid = try await warm.upload(agent.token, invalid)
            let inlineMediaType = try await warm.upload(agent.token, body, headers: textPlain)
            #expect(warm.paths.take() == [.inline, .inline])
            let coldForRejections = try IngestServer.start(live)
            let waitedInvalid = try await coldForRejections.upload(agent.token, invalid)
            let secondCold = try IngestServer.start(live)
            let waitedMediaType = try await secondCold.upload(agent.token, body, headers: textPlain)
            #expect(coldForRejections.paths.take() == [.waitedForToken])
            #expect(secondCold.paths.take() == [.waitedForToken])
            #expect(inlineInvalid.status == 422)
            #expect(Self.same(inlineInvalid, waitedInvalid))
            #expect(inlineMediaType.status == 415)
            #expect(Self.same(inlineMediaType, waitedMediaType))

            for server in [warm, cold, coldForConflict, coldForRejections, secondCold] {
                await server.server.shutdown(deadline: .seconds(1))
            }
        }
    }

    @Test func aNewUploadInlineIsStoredAndAnsweredAsInATask() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let ingest = try IngestServer.start(live)
            let first = try await ingest.upload(agent.token, ResultSamples.single())
            let secondID = UUID()
            let second = try await ingest.upload(agent.token, ResultSamples.single(secondID))
            #expect(ingest.paths.take() == [.waitedForToken, .inline])
            #expect(first.status == 201)
            #expect(second.status == 201)
            // The same members either way; only the run and the assessment it moved differ.
            #expect(try Set(Self.memberNames(first)) == Set(Self.memberNames(second)))
            let secondOutcome = try second.decoded(UploadOutcomeBody.self)
            #expect(secondOutcome.runId == secondID.uuidString.lowercased())
            #expect(secondOutcome.siteId == site.uuidString.lowercased())
            #expect(first.header("Content-Type") == "application/json")
            #expect(second.header("Content-Type") == "application/json")
            let stored = try await live.database.query("SELECT count(*)::int8 AS n FROM results WHERE run_id = \(secondID)")
            #expect(try stored.first?.decode(Int.self, column: "n") == 1)
            await ingest.server.shutdown(deadline: .seconds(1))
        }
    }

    @Test func anExpiredSiteOrANewMonthWaitsAndTheNextUploadRunsInlineAgain() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let clock = TestClock()
            let ingest = try IngestServer.start(live, clock: clock)
            _ = try await ingest.upload(agent.token, ResultSamples.single())
            #expect(ingest.paths.take() == [.waitedForToken])

            // Past the site cache's 5 s, within the token cache's 60 s.
            clock.advance(6)
            #expect(try await ingest.upload(agent.token, ResultSamples.single()).status == 201)
            #expect(try await ingest.upload(agent.token, ResultSamples.single()).status == 201)
            #expect(ingest.paths.take() == [.waitedForSite, .inline])

            // A result from an earlier month needs that month's partition first.
            let earlier = clock.now.addingTimeInterval(-45 * 86_400)
            #expect(try await ingest.upload(agent.token, ResultSamples.single(startedAt: earlier)).status == 201)
            #expect(try await ingest.upload(agent.token, ResultSamples.single(startedAt: earlier.addingTimeInterval(60))).status == 201)
            #expect(ingest.paths.take() == [.waitedForPartitions, .inline])
            await ingest.server.shutdown(deadline: .seconds(1))
        }
    }

    @Test func aLargeOrCompressedBodyIsReadInATask() async throws {
        try await LiveService.with { live in
            let site = try await live.fixtures.site()
            let agent = try await live.fixtures.agent(site: site)
            let ingest = try IngestServer.start(live)
            _ = try await ingest.upload(agent.token, ResultSamples.single())
            _ = ingest.paths.take()
            let large = ResultSamples.batch((0..<60).map { _ in ResultSamples.json() })
            #expect(large.count > ResultIngest.inlineBodyLimit)
            let response = try await ingest.upload(agent.token, large)
            #expect(response.status == 201)
            #expect(try response.decoded(UploadBatchBody.self).results.count == 60)
            let compressed = try await ingest.upload(agent.token, try Gzip.compress(ResultSamples.single()),
                                                     headers: ["Content-Encoding": "gzip"])
            #expect(compressed.status == 201)
            #expect(ingest.paths.take() == [.largeOrCompressedBody, .largeOrCompressedBody])
            await ingest.server.shutdown(deadline: .seconds(1))
        }
    }
}
