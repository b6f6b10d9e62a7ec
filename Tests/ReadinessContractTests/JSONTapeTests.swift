import ReadinessContractFixtures
import JSON
import Foundation
import Testing
@testable import ReadinessContract
import UUIDText

/// The flat document the upload decoder reads: member lookup by bytes, escapes, and the tree
/// it converts to and from.
@Suite struct JSONTapeTests {
    @Test func findsMembersByNameEscapedOrNot() throws {
        let tape = try JSONTape.parse(Array(#"{"a":2,"b":{"c":[true,null]},"ho\u0073t":"x\"y"}"#.utf8))
        let a = try #require(tape.member(tape.root, "a"))
        #expect(tape.number(a) == 2)
        let host = try #require(tape.member(tape.root, "host"))
        #expect(tape.string(host) == "x\"y")
        let b = try #require(tape.member(tape.root, "b"))
        let c = try #require(tape.member(b, "c"))
        #expect(tape.tree(c) == .array([.bool(true), .null]))
        #expect(tape.member(tape.root, "c") == nil)
        #expect(tape.member(a, "a") == nil)
        #expect(tape.tree(tape.root) == .object([("a", .number(2)), ("b", tape.tree(b)), ("host", .string("x\"y"))]))
    }

    @Test func convertsToAndFromTheTreeUnchanged() throws {
        let text = #"{"a":"x\u00e9","b":[1.5,-0,true,null,{}],"c":{"d":[]},"":""}"#
        let tree = try JSONParser.parse(Array(text.utf8))
        let tape = JSONTape(tree)
        #expect(tape.tree(tape.root) == tree)
        let reparsed = try JSONTape.parse(Array(text.utf8))
        #expect(reparsed.tree(reparsed.root) == tree)
    }

    @Test func decodesAnUploadHeldAsATreeAsItDecodesItsBytes() throws {
        let bytes = Array(Fixtures.contractExample.utf8)
        let fromBytes = try ProbeResultDecoder.decode(bytes, now: Fixtures.exampleNow).get()
        let fromTree = try ProbeResultDecoder.decode(try JSONParser.parse(bytes), now: Fixtures.exampleNow).get()
        #expect(fromTree == fromBytes)
    }
}

/// `UUID(hyphenatedHex:)`: the run_id parser that replaced `UUID(uuidString:)` (sscanf).
@Suite struct UUIDHyphenatedHexTests {
    @Test(arguments: [
        "7d5c9a0e-4c1b-4f7e-9d1a-2a6f3f0c8b11", "7D5C9A0E-4C1B-4F7E-9D1A-2A6F3F0C8B11",
        "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
    ])
    func agreesWithFoundationOnWellFormedIDs(_ text: String) throws {
        #expect(UUID(hyphenatedHex: text) == (try #require(UUID(uuidString: text))))
    }

    @Test(arguments: [
        "", "7d5c9a0e-4c1b-4f7e-9d1a-2a6f3f0c8b1", "7d5c9a0e-4c1b-4f7e-9d1a-2a6f3f0c8b111", "7d5c9a0e4c1b-4f7e-9d1a-2a6f3f0c8b11-",
        "7d5c9a0g-4c1b-4f7e-9d1a-2a6f3f0c8b11", "7d5c9a0e_4c1b-4f7e-9d1a-2a6f3f0c8b11", "{7d5c9a0e-4c1b-4f7e-9d1a-2a6f3f0c8b1}",
        "7d5c9a0e-4c1b-4f7e-9d1a-2a6f3f0c8b1é",
    ])
    func rejectsAnythingElse(_ text: String) {
        #expect(UUID(hyphenatedHex: text) == nil)
    }
}
