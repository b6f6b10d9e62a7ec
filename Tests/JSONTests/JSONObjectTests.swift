import Foundation
import JSON
import Testing

/// A shape declared once (`JSONObject`) writes what `JSONEncoder` writes for it, and reads
/// back what it wrote.
@Suite struct JSONObjectTests {
    struct Tag: JSONReadableObject, Equatable {
        var label = ""
        var weight: Double?

        static let members: JSONMembers<Tag> = [
            JSONMember("weight", settable: \.weight),
            JSONMember("label", settable: \.label),
        ]
    }

    struct Row: JSONReadableObject, Equatable {
        var id = UUID()
        var at = Date(timeIntervalSince1970: 0)
        var name = ""
        var count = 0
        var ratio: Double?
        var enabled = false
        var note: String?
        var codes: [String] = []
        var tags: [Tag] = []
        var primary: Tag?

        // Out of byte order on purpose: the list sorts itself.
        static let members: JSONMembers<Row> = [
            JSONMember("name", settable: \.name),
            JSONMember("id", settable: \.id),
            JSONMember("at", settable: \.at),
            JSONMember("count", settable: \.count),
            JSONMember("ratio", settable: \.ratio),
            JSONMember("enabled", settable: \.enabled),
            JSONMember("note", settable: \.note),
            JSONMember("codes", settable: \.codes),
            JSONMember("tags", settable: \.tags),
            JSONMember("primary", settable: \.primary),
        ]
    }

    /// Written only, through closures; one member left out when nil.
    struct Summary: JSONObject {
        var verdict: String
        var score: Int?
        var detail: String?

        static let members: JSONMembers<Summary> = [
            JSONMember("verdict_upper") { $0.verdict.uppercased() },
            JSONMember("score", \.score),
            .omittedWhenNil("detail", \.detail),
        ]
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func row(_ index: Int) -> Row {
        Row(
            id: UUID(), at: Date(timeIntervalSince1970: 1_764_720_000 + Double(index) + (index % 2 == 0 ? 0.25 : 0)),
            name: ["plain", "odd \"name\"\\/\u{1}\n é ☃", ""][index % 3], count: index * 37 - 50,
            ratio: [nil, 0, 21.041666666666664, 1e-7, 1e16, -0.5][index % 6], enabled: index % 2 == 1,
            note: index % 3 == 0 ? nil : "n\(index)", codes: Array(["A", "B_C", "x\"y"].prefix(index % 4)),
            tags: (0..<(index % 3)).map { Tag(label: "t\($0)", weight: $0 == 0 ? nil : Double($0) / 4) },
            primary: index % 2 == 0 ? nil : Tag(label: "main", weight: 1))
    }

    static func written(_ value: some JSONObject) throws -> String {
        String(decoding: try JSONWriter.document(capacity: 64) { value.write(to: $0) }, as: UTF8.self)
    }

    @Test(arguments: 0..<12)
    func writesWhatJSONEncoderWrites(index: Int) throws {
        let row = Self.row(index)
        #expect(try Self.written(row) == String(decoding: try Self.encoder.encode(row), as: UTF8.self))
    }

    @Test func writesMembersInByteOrderWithNullsAndNestedValues() throws {
        let row = Row(id: UUID(uuid: (0xAB, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)), at: Date(timeIntervalSince1970: 1_764_720_000),
                      name: "hq", count: 3, ratio: nil, enabled: true, note: nil, codes: ["A"],
                      tags: [Tag(label: "x", weight: 0.5)], primary: nil)
        #expect(try Self.written(row) == """
            {"at":"2025-12-03T00:00:00Z","codes":["A"],"count":3,"enabled":true,\
            "id":"ab000000-0000-0000-0000-000000000001","name":"hq","note":null,"primary":null,\
            "ratio":null,"tags":[{"label":"x","weight":0.5}]}
            """)
        #expect(Row.members.names == ["at", "codes", "count", "enabled", "id", "name", "note", "primary", "ratio", "tags"])
    }

    @Test func closureMembersAreWrittenAndNilOnesLeftOutWhenSoDeclared() throws {
        let bare = Summary(verdict: "ok", score: nil, detail: nil)
        #expect(try Self.written(bare) == #"{"score":null,"verdict_upper":"OK"}"#)
        let full = Summary(verdict: "ok", score: 7, detail: "d")
        #expect(try Self.written(full) == #"{"detail":"d","score":7,"verdict_upper":"OK"}"#)
        for summary in [bare, full] {
            #expect(try Self.written(summary) == String(decoding: try Self.encoder.encode(summary), as: UTF8.self))
        }
    }

    @Test(arguments: 0..<12)
    func readsBackWhatItWrote(index: Int) throws {
        let row = Self.row(index)
        let bytes = try JSONWriter.document(capacity: 64) { row.write(to: $0) }
        #expect(try Row(json: JSONParser.parse(bytes)) == row)
    }

    @Test func absentOptionalMembersReadAsNil() throws {
        let tag = try Tag(json: JSONParser.parse(Array(#"{"label":"x"}"#.utf8)))
        #expect(tag == Tag(label: "x", weight: nil))
    }

    @Test func faultsNameTheMemberAndWhatWasExpected() throws {
        #expect(throws: JSONReadError(pointer: "/label", message: "expected string, found nothing")) {
            try Tag(json: JSONParser.parse(Array(#"{"weight":1}"#.utf8)))
        }
        let wrong = Array(#"{"at":"2025-12-03T00:00:00Z","codes":[],"count":1,"enabled":true,"id":"ab000000-0000-0000-0000-000000000001","name":"n","tags":[{"label":"x","weight":"heavy"}]}"#.utf8)
        #expect(throws: JSONReadError(pointer: "/tags/0/weight", message: "expected number, found string")) {
            try Row(json: JSONParser.parse(wrong))
        }
        #expect(throws: JSONReadError(pointer: "", message: "expected object, found array")) {
            try Tag(json: JSONParser.parse(Array("[]".utf8)))
        }
    }
}
