import Foundation
import Testing
@testable import Postgres

@Suite struct QueryBuildingTests {
    @Test func interpolatedValuesBecomeNumberedParameters() {
        let name = "O'Brien; DROP TABLE x; --"
        let id = 42
        let query: PostgresQuery = "SELECT * FROM sites WHERE name = \(name) AND id = \(id)"
        #expect(query.sql == "SELECT * FROM sites WHERE name = $1 AND id = $2")
        #expect(query.bindings.slots.map(\.type) == [.text, .int8])
        #expect(query.bindings.slots.map(\.format) == [.text, .text])
        #expect([query.bindings.text(at: 0), query.bindings.text(at: 1)] == [name, "42"])
    }

    @Test func nilBindsNullAndUnsafeRawPastesText() {
        let missing: String? = nil
        let query: PostgresQuery = "UPDATE \(unsafeRaw: "sites") SET note = \(missing)"
        #expect(query.sql == "UPDATE sites SET note = $1")
        #expect(query.bindings.slots.first?.isNull == true)
        #expect(query.bindings.slots.first?.type == .text)
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

    @Test func everyParameterSharesOneBufferAndTextValuesAreTerminated() {
        let json = PostgresJSONB(string: #"{"a":1}"#)
        let query: PostgresQuery = "SELECT \("ab"), \(json), \(Data([0, 1])), \(PostgresText(bytes: Array("t".utf8)))"
        let bindings = query.bindings
        #expect(bindings.slots.map(\.format) == [.text, .text, .binary, .text])
        #expect(bindings.slots.map(\.offset) == [0, 3, 11, 14])
        #expect(bindings.buffer == Array("ab\0{\"a\":1}\0".utf8) + [0, 1, 0] + Array("t\0".utf8))
        #expect(throws: Never.self) { try bindings.validate() }
    }

    /// The NUL check scans with memchr: a NUL anywhere in a long value, at any offset, is found,
    /// and a binary value may hold NULs.
    @Test(arguments: [0, 1, 7, 8, 9, 4095, 20_479])
    func nulIsFoundAtEveryOffsetOfBytesValuedText(position: Int) {
        var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 20_480)
        bytes[position] = 0
        let asText: PostgresQuery = "SELECT \(PostgresText(bytes: bytes))"
        let asJSONB: PostgresQuery = "SELECT \(1), \(PostgresJSONB(bytes: bytes))"
        let asBytea: PostgresQuery = "SELECT \(Data(bytes))"
        for query in [asText, asJSONB] {
            let error = #expect(throws: PostgresError.self) { try query.bindings.validate() }
            #expect(error?.kind == .encoding)
        }
        #expect(throws: Never.self) { try asBytea.bindings.validate() }
    }

    @Test func nulInATextArrayElementIsRejectedNamingTheElement() {
        let names = PostgresArray<String>(["fine", "bad\u{0}", "fine"])
        let query: PostgresQuery = "SELECT unnest(\(names))"
        let error = #expect(throws: PostgresError.self) { try query.bindings.validate() }
        #expect(error?.kind == .encoding)
        #expect(error?.description.contains("array element 2") == true)
        let documents = PostgresArray<PostgresJSONB>([PostgresJSONB(bytes: [UInt8(ascii: "1"), 0])])
        #expect(throws: PostgresError.self) { try PostgresQuery("SELECT \(documents)").bindings.validate() }
    }

    @Test func binaryArrayLayoutIsWhatArrayRecvReads() throws {
        var array = PostgresArray<Int32>()
        array.append(7)
        array.append(nil)
        var bytes: [UInt8] = []
        try array.encodePostgres(into: &bytes)
        #expect(bytes == [0, 0, 0, 1, /* has null */ 0, 0, 0, 1, /* int4 */ 0, 0, 0, 23, /* length */ 0, 0, 0, 2,
                          /* lower bound */ 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 7, 0xFF, 0xFF, 0xFF, 0xFF])
        var empty: [UInt8] = []
        try PostgresArray<Int32>().encodePostgres(into: &empty)
        #expect(empty == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 23])
    }

    /// A built array is bound from its own buffer (not copied into the shared one), and libpq
    /// is handed exactly the bytes `encodePostgres` writes, for every parameter around it.
    @Test func arraysAreBoundFromTheirOwnBuffersWithTheBytesTheyEncode() throws {
        var ids = PostgresArray<UUID>(reservingElements: 2)
        ids.append(UUID(uuid: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)))
        ids.append(nil)
        var documents = PostgresArray<PostgresJSON>(reservingElements: 1, variableBytes: 7)
        documents.append(PostgresJSON(bytes: Array(#"{"a":1}"#.utf8)))
        let empty = PostgresArray<Int32>()
        let query: PostgresQuery = "SELECT \("ab"), \(ids), \(empty), \(documents), \(1)"
        let bindings = query.bindings
        #expect(bindings.owned.count == 2)
        #expect(bindings.buffer == Array("ab\0".utf8) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 23, 0] + Array("1\0".utf8))
        var expected: [[UInt8]?] = ["ab", nil, nil, nil, "1"].map { $0.map { Array($0.utf8) } }
        for (index, array) in [(1, try encoded(ids)), (2, try encoded(empty)), (3, try encoded(documents))] {
            expected[index] = array
        }
        let sent: [[UInt8]?] = bindings.withParameters { count, _, values, lengths, formats in
            (0..<Int(count)).map { index in
                guard let values, let lengths, let formats, let value = values[index] else { return nil }
                #expect(formats[index] == (index == 0 || index == 4 ? 0 : 1))
                return Array(UnsafeRawBufferPointer(start: value, count: Int(lengths[index])))
            }
        }
        #expect(sent == expected)
        #expect((0..<5).map { bindings.bytes(at: $0) } == expected)
        #expect(bindings.byteCount == bindings.buffer.count + bindings.owned.reduce(0) { $0 + $1.count })
    }

    private func encoded(_ value: some PostgresBindable) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try value.encodePostgres(into: &bytes)
        return bytes
    }

    @Test(arguments: [0.0, 1_700_000_000.123456, -1.5, 951_782_400, 946_684_800, 946_684_799.999_999_7])
    func binaryTimestampsRoundAsTheTextFormDoes(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let micros = PostgresTimestamp.microsecondsSince2000(date)
        // The text form parsed back by the same rules PostgreSQL's input uses.
        let parsed = PostgresTimestamp.parse(Array(PostgresTimestamp.format(date).utf8))
        let expected = ((parsed?.timeIntervalSince1970 ?? .nan) - 946_684_800) * 1_000_000
        #expect(Double(micros) == expected.rounded())
        #expect(PostgresTimestamp.microsecondsSince2000(.distantFuture) > 0)
        #expect(PostgresTimestamp.microsecondsSince2000(Date(timeIntervalSince1970: .infinity)) == .max)
        #expect(PostgresTimestamp.microsecondsSince2000(Date(timeIntervalSince1970: -.infinity)) == .min)
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
        for text in ["", "2024-13-01 00:00:00+00", "2024-01-01", "2024-01-01 00:00:00+00 junk", "infinity!", "-infinityx", "infinit"] {
            #expect(PostgresTimestamp.parse(Array(text.utf8)) == nil, "\(text)")
        }
    }

    @Test func infiniteTimestampsParse() {
        #expect(PostgresTimestamp.parse(Array("infinity".utf8)) == .distantFuture)
        #expect(PostgresTimestamp.parse(Array("-infinity".utf8)) == .distantPast)
    }

    @Test func uuidTextParsesAsFoundationReadsIt() throws {
        for _ in 0..<50 {
            let id = UUID()
            #expect(UUID(postgresText: Array(id.uuidString.lowercased().utf8)) == id)
            #expect(UUID(postgresText: Array(id.uuidString.utf8)) == id)
        }
        let valid = "a0188392-ea16-4b96-a653-d1a7c36f7177"
        #expect(UUID(postgresText: Array(valid.utf8)) == UUID(uuidString: valid))
        for text in ["", String(valid.dropLast()), valid + "0", valid.replacingOccurrences(of: "-", with: "_"),
                     "g0188392-ea16-4b96-a653-d1a7c36f7177", "a0188392ea16-4b96-a653-d1a7c36f71770"] {
            #expect(UUID(postgresText: Array(text.utf8)) == nil, "\(text)")
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
