import Testing
@testable import JSON

/// The one `JSONValue`: literals as problem documents use them, written through `JSONWriter`.
struct JSONValueWritingTests {
    @Test func writesLiteralMembersInTheirOrderWithIntegersWithoutAFraction() throws {
        let value: JSONValue = ["limit": 1_048_576, "ratio": 0.5, "faults": ["a\"b", nil, true], "empty": [:]]
        let json = JSONWriter()
        value.write(to: json)
        #expect(String(decoding: try json.finished(), as: UTF8.self)
                == #"{"limit":1048576,"ratio":0.5,"faults":["a\"b",null,true],"empty":{}}"#)
    }

    @Test func readsBackWhatItWrites() throws {
        let value: JSONValue = ["status": 413, "title": "Payload too large", "nested": ["x": [1, 2.25, "é\n"]]]
        let json = JSONWriter()
        value.write(to: json)
        #expect(try JSONParser.parse(try json.finished()) == value)
    }

    @Test func flagsANonFiniteNumber() {
        let json = JSONWriter()
        JSONValue.number(.infinity).write(to: json)
        #expect(throws: JSONWriter.NonFiniteNumber.self) { try json.finished() }
    }
}
