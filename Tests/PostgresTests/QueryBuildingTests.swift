import Foundation
import Testing
@testable import Postgres

@Suite struct QueryBuildingTests {
    @Test func interpolatedValuesBecomeNumberedParameters() {
        let name = "O'Brien; DROP TABLE x; --"
        let id = 42
        let query: PostgresQuery = "SELECT * FROM sites WHERE name = \(name) AND id = \(id)"
        #expect(query.sql == "SELECT * FROM sites WHERE name = $1 AND id = $2")
        #expect(query.bindings.values.map(\.type) == [.text, .int8])
        #expect(query.bindings.values.map(\.text) == [name, "42"])
    }

    @Test func nilBindsNullAndUnsafeRawPastesText() {
        let missing: String? = nil
        let query: PostgresQuery = "UPDATE \(unsafeRaw: "sites") SET note = \(missing)"
        #expect(query.sql == "UPDATE sites SET note = $1")
        #expect(query.bindings.values.first?.text == nil)
        #expect(query.bindings.values.first?.type == .text)
    }

    @Test func descriptionNeverShowsParameterValues() {
        let token = "secret-token-value"
        let query: PostgresQuery = "SELECT \(token)"
        #expect(!query.description.contains(token))
    }

    @Test func nulInTextParameterIsRejected() {
        let query: PostgresQuery = "SELECT \("a\u{0}b")"
        #expect(throws: PostgresError.self) { try query.bindings.validate() }
    }

    @Test(arguments: [
        (0.0, "1970-01-01 00:00:00.000000+00"),
        (1_700_000_000.123456, "2023-11-14 22:13:20.123456+00"),
        (-1.5, "1969-12-31 23:59:58.500000+00"),
        (951_782_400, "2000-02-29 00:00:00.000000+00"),
    ])
    func timestampsFormatWithMicroseconds(seconds: Double, text: String) {
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: seconds)) == text)
        let parsed = PostgresTimestamp.parse(Array(text.utf8))
        #expect(abs((parsed?.timeIntervalSince1970 ?? .nan) - seconds) < 0.000_001)
    }

    @Test(arguments: [
        ("2024-03-01 12:34:56.5+05:30", 1_709_276_696.5),
        ("2024-03-01 12:34:56-08", 1_709_325_296.0),
        ("2024-03-01T07:04:56Z", 1_709_276_696.0),
        ("1900-01-01 00:00:00+00:09:21", -2_208_989_361.0),
    ])
    func timestampsParseServerOffsets(text: String, seconds: Double) {
        #expect(PostgresTimestamp.parse(Array(text.utf8))?.timeIntervalSince1970 == seconds)
    }

    @Test func malformedTimestampsAreRejected() {
        for text in ["", "2024-13-01 00:00:00+00", "2024-01-01", "2024-01-01 00:00:00+00 junk"] {
            #expect(PostgresTimestamp.parse(Array(text.utf8)) == nil, "\(text)")
        }
    }

    @Test func textArraysRoundTripThroughLiteralSyntax() {
        let values = ["plain", "with space", "comma,brace}", "quote\"back\\slash", "NULL", ""]
        let literal = values.postgresText()
        let parsed = PostgresTextArray.parse(Array(literal.utf8))
        #expect(parsed == values.map { Optional($0) })
        #expect(PostgresTextArray.parse(Array("{a,NULL,\"NULL\"}".utf8)) == ["a", nil, "NULL"])
    }

    @Test func migrationFileNamesAreParsed() {
        #expect(MigrationFile.parse("0001_create_sites.sql")! == (1, "create_sites"))
        #expect(MigrationFile.parse("12_add-index.sql")! == (12, "add-index"))
        for bad in ["create.sql", "0001.sql", "0001_.sql", "abc_name.sql", "0001_bad name.sql", "0000_zero.sql"] {
            #expect(MigrationFile.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func configurationRejectsBadBoundsAndURL() {
        #expect(throws: PostgresError.self) { try PostgresConfiguration(url: "postgresql://x/db", minConnections: 3, maxConnections: 2) }
        #expect(throws: PostgresError.self) { try PostgresConfiguration(url: "postgresql://[bad") }
        #expect(throws: PostgresError.self) { try PostgresConfiguration(url: "") }
    }
}
