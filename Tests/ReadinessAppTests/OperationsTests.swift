import Foundation
import Postgres
import ReadinessApp
import ReadinessTestSupport
import Testing
import ReadinessServiceTestSupport

@Suite struct OperationsTests {
    @Test func healthAndReadinessAnswerOkWithADatabase() async throws {
        try await LiveService.with { live in
            let health = try await live.client.get("/healthz")
            #expect(health.status == 200)
            #expect(try health.decoded(HealthBody.self).status == "ok")
            let ready = try await live.client.get("/readyz")
            #expect(ready.status == 200)
            let readiness = try ready.decoded(ReadinessBody.self)
            #expect(readiness.status == "ok")
            // LiveService turns the reflector off: readiness says what that leaves untested.
            #expect(readiness.reflector.ports == [])
            #expect(readiness.reflector.note?.contains("READINESS_REFLECTOR_LISTEN=off") == true)
            // 32 hex digits, made by the server (the request sent none).
            #expect(ready.header("X-Request-Id")?.count == 32)
            #expect(ready.header("X-Request-Id")?.allSatisfy(\.isHexDigit) == true)
        }
    }

    @Test func startAppliesEveryMigrationOnce() async throws {
        try await LiveService.with { live in
            let files = try FileManager.default.contentsOfDirectory(atPath: LiveService.migrationsDirectory.path)
                .filter { $0.hasSuffix(".sql") }
            let rows = try await live.database.query("SELECT count(*)::int AS n FROM schema_migrations")
            #expect(try rows[0].decode(Int.self, column: "n") == files.count)
            // A second start over the same database applies nothing and still serves.
            var configuration = live.service.configuration
            configuration.port = 0
            let again = try await ReadinessService.make(configuration: configuration, logger: LiveService.logger)
            let port = try again.start()
            #expect(try await APIClient(port: port).get("/readyz").status == 200)
            await again.shutdown()
            let after = try await live.database.query("SELECT count(*)::int AS n FROM schema_migrations")
            #expect(try after[0].decode(Int.self, column: "n") == files.count)
        }
    }

    @Test func readinessIs503WithRetryAfterWhenTheDatabaseIsUnreachable() async throws {
        // A port nothing listens on: the pool cannot connect, the process stays alive.
        var configuration = LiveService.configuration(databaseURL: "postgresql://postgres@127.0.0.1:1/none?connect_timeout=2")
        configuration.migrateOnStart = false
        let service = try await ReadinessService.make(configuration: configuration, logger: LiveService.logger)
        let client = APIClient(port: try service.start())
        let ready = try await client.get("/readyz")
        #expect(ready.status == 503)
        #expect(ready.header("Retry-After") == "5")
        #expect(ready.header("Content-Type") == "application/problem+json")
        #expect(try ready.decoded(ProblemBody.self).type == "/problems/database-unavailable")
        // Server text (libpq's "connection refused") never reaches the client.
        #expect(!ready.text.contains("refused"))
        #expect(try await client.get("/healthz").status == 200)
        await service.shutdown()
    }

    @Test func readinessIs503WithoutADatabase() async throws {
        let service = try await ReadinessService.make(
            configuration: LiveService.configuration(databaseURL: nil), logger: LiveService.logger)
        let client = APIClient(port: try service.start())
        #expect(try await client.get("/readyz").status == 503)
        await service.shutdown()
    }

    @Test func anEditedMigrationStopsTheStart() async throws {
        try await TestDatabase.with { _, postgresConfiguration in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID())")
            try FileManager.default.copyItem(at: LiveService.migrationsDirectory, to: directory)
            defer { try? FileManager.default.removeItem(at: directory) }
            var configuration = LiveService.configuration(databaseURL: postgresConfiguration.url)
            configuration.migrationsDirectory = directory
            let first = try await ReadinessService.make(configuration: configuration, logger: LiveService.logger)
            await first.shutdown()
            let file = directory.appendingPathComponent("0001_core_schema.sql")
            try (try String(contentsOf: file, encoding: .utf8) + "\n-- edited\n").write(to: file, atomically: true, encoding: .utf8)
            await #expect(throws: PostgresError.self) {
                _ = try await ReadinessService.make(configuration: configuration, logger: LiveService.logger)
            }
        }
    }
}
