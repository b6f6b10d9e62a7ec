import Foundation
import Testing
@testable import Postgres
import ReadinessTestSupport

extension DatabaseTests {
    @Suite struct MigratorTests {
        /// A throwaway migrations folder, removed when the test ends.
        final class Folder {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")

            init(_ files: [String: String]) throws {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
                for (name, sql) in files { try write(name, sql) }
            }

            func write(_ name: String, _ sql: String) throws {
                try sql.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }

            deinit { try? FileManager.default.removeItem(at: url) }
        }

        static let files = [
            "0001_create_sites.sql": "CREATE TABLE sites (id int PRIMARY KEY, name text NOT NULL);\nCREATE INDEX sites_name ON sites (name);",
            "0002_seed.sql": "INSERT INTO sites VALUES (1, 'one'); INSERT INTO sites VALUES (2, 'two');",
            "README.md": "ignored",
        ]

        @Test func appliesPendingMigrationsOnce() async throws {
            let folder = try Folder(Self.files)
            try await TestDatabase.with { pool, _ in
                let migrator = Migrator(directory: folder.url, logger: TestDatabase.logger)
                #expect(try await migrator.migrate(pool) == [1, 2])
                #expect(try await migrator.migrate(pool) == [])
                #expect(try await pool.query("SELECT count(*) AS n FROM sites")[0].decode(Int.self, column: "n") == 2)
                let recorded = try await pool.query("SELECT version, name, length(checksum) AS len FROM schema_migrations ORDER BY version")
                #expect(try recorded.map { try $0.decode(String.self, column: "name") } == ["create_sites", "seed"])
                #expect(try recorded[0].decode(Int.self, column: "len") == 64)

                try folder.write("0003_more.sql", "INSERT INTO sites VALUES (3, 'three');")
                #expect(try await migrator.migrate(pool) == [3])
            }
        }

        @Test func editedAppliedMigrationIsRefused() async throws {
            let folder = try Folder(Self.files)
            try await TestDatabase.with { pool, _ in
                let migrator = Migrator(directory: folder.url, logger: TestDatabase.logger)
                try await migrator.migrate(pool)
                try folder.write("0002_seed.sql", "INSERT INTO sites VALUES (9, 'edited');")
                let error = await #expect(throws: PostgresError.self) { try await migrator.migrate(pool) }
                #expect(error?.kind == .migration)
                #expect(error?.description.contains("0002_seed.sql") == true)
            }
        }

        @Test func failingMigrationRollsBackAndIsNotRecorded() async throws {
            let folder = try Folder([
                "0001_ok.sql": "CREATE TABLE a (v int);",
                "0002_broken.sql": "CREATE TABLE b (v int); INSERT INTO a VALUES (1); SELECT 1/0;",
            ])
            try await TestDatabase.with { pool, _ in
                let migrator = Migrator(directory: folder.url, logger: TestDatabase.logger)
                let error = await #expect(throws: PostgresError.self) { try await migrator.migrate(pool) }
                #expect(error?.kind == .migration)
                #expect(error?.sqlState == .divisionByZero)
                #expect(error?.description.contains("0002_broken.sql") == true)
                let versions = try await pool.query("SELECT version FROM schema_migrations").map { try $0.decode(Int.self, column: "version") }
                #expect(versions == [1])
                #expect(try await pool.query("SELECT to_regclass('b') IS NULL AS gone")[0].decode(Bool.self, column: "gone"))
                #expect(try await pool.query("SELECT count(*) AS n FROM a")[0].decode(Int.self, column: "n") == 0)
            }
        }

        @Test func concurrentMigratorsApplyEachFileExactlyOnce() async throws {
            let folder = try Folder([
                "0001_table.sql": "CREATE TABLE runs (v int);",
                "0002_slow.sql": "INSERT INTO runs VALUES (2); SELECT pg_sleep(0.2);",
                "0003_more.sql": "INSERT INTO runs VALUES (3);",
            ])
            try await TestDatabase.with { pool, config in
                let second = PostgresPool(configuration: config, logger: TestDatabase.logger)
                defer { Task { await second.shutdown() } }
                let migrator = Migrator(directory: folder.url, logger: TestDatabase.logger)
                async let first = migrator.migrate(pool)
                async let other = migrator.migrate(second)
                let results = try await [first, other]
                #expect((results[0] + results[1]).sorted() == [1, 2, 3])
                let rows = try await pool.query("SELECT v FROM runs ORDER BY v").map { try $0.decode(Int.self, column: "v") }
                #expect(rows == [2, 3])
            }
        }

        @Test func malformedAndDuplicateFileNamesAreRejected() throws {
            let malformed = try Folder(["0001_ok.sql": "SELECT 1;", "second.sql": "SELECT 1;"])
            #expect(throws: PostgresError.self) { try MigrationFile.load(from: malformed.url) }
            let duplicate = try Folder(["0001_a.sql": "SELECT 1;", "001_b.sql": "SELECT 1;"])
            let error = #expect(throws: PostgresError.self) { try MigrationFile.load(from: duplicate.url) }
            #expect(error?.description.contains("0001_a.sql") == true)
        }
    }
}
