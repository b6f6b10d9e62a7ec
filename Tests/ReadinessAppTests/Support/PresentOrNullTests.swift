import Foundation
import JSON
import Testing
import ReadinessServiceTestSupport

/// The typed bodies the API tests decode answers into are as strict as the checks they
/// replaced: a member written as null is not the same as a member left out.
@Suite struct PresentOrNullTests {
    static func page(_ json: String) throws -> Page<String> {
        try APIBodyDecoder.shared.decode(Page<String>.self, from: Data(json.utf8))
    }

    @Test func aNullMemberReadsAsNilAndAValueAsItself() throws {
        #expect(try Self.page(#"{"items": [], "next_cursor": null}"#).nextCursor == nil)
        #expect(try Self.page(#"{"items": ["a"], "next_cursor": "c2"}"#).nextCursor == "c2")
    }

    @Test func aMissingMemberFailsTheDecode() {
        #expect(throws: DecodingError.self) { try Self.page(#"{"items": []}"#) }
    }

    @Test func documentsWithTheSameMembersInAnotherOrderMeanTheSame() throws {
        let first = try JSONParser.parse(Array(#"{"a": 1, "b": {"d": [1, {"f": 2, "e": 3}], "c": null}}"#.utf8))
        let second = try JSONParser.parse(Array(#"{"b": {"c": null, "d": [1, {"e": 3, "f": 2}]}, "a": 1.0}"#.utf8))
        #expect(first != second)
        #expect(first.membersSorted == second.membersSorted)
        #expect(first.membersSorted != second.removingMember("a").membersSorted)
    }
}
