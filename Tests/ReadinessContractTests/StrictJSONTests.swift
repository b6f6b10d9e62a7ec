import ReadinessContractFixtures
import JSON
import Foundation
import Testing
@testable import ReadinessContract

/// I-JSON (RFC 7493) on top of RFC 8259: UTF-8 only, each member name once per object, and no
/// U+0000 in an upload. Issue 14: each of these was stored (bad bytes as U+FFFD, the last of two
/// names, a NUL that then broke SQL on the body).
@Suite struct StrictJSONTests {
    static func parseError(_ bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONTape.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// Each ill-formed sequence of Unicode Table 3-7, inside a value and inside a name; the
    /// offset is that of the sequence's first byte.
    @Test(arguments: [
        [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0xAF],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xC3], [0xE2, 0x82], [0xE2, 0x28, 0xA1],
    ] as [[UInt8]])
    func refusesInvalidUTF8NamingItsOffset(sequence: [UInt8]) throws {
        let value = Array(#"{"host":"ab"#.utf8) + sequence + Array(#"cd"}"#.utf8)
        let inValue = try #require(Self.parseError(value))
        #expect(inValue.offset == 11)
        #expect(inValue.message == "invalid UTF-8")
        #expect(inValue.pointer == nil)
        let name = Array(#"{"x":1,"k"#.utf8) + sequence + Array(#"":2}"#.utf8)
        #expect(Self.parseError(name)?.offset == 9)
        // After an escape the string takes the slower path; the check is the same.
        let escaped = Array(#"["\n"#.utf8) + sequence + Array(#""]"#.utf8)
        #expect(Self.parseError(escaped)?.offset == 4)
    }

    @Test func acceptsWellFormedUTF8OfEveryLengthUnchanged() throws {
        let text = "é€😀 中\u{10FFFF} \u{E000}"
        let plain = try JSONTape.parse(Array(#"{"\#(text)":"\#(text)"}"#.utf8))
        #expect(plain.tree(plain.root) == .object([(text, .string(text))]))
        let escaped = try JSONTape.parse(Array(#"{"\n\#(text)":"\t\#(text)"}"#.utf8))
        #expect(escaped.tree(escaped.root) == .object([("\n" + text, .string("\t" + text))]))
        let tape = try JSONTape.parse(Array(#"{"a":"x\#(text)y"}"#.utf8))
        #expect(tape.string(try #require(tape.member(tape.root, "a"))) == "x\(text)y")
    }

    @Test(arguments: [
        (#"{"loss_pct":150,"loss_pct":0}"#, "/loss_pct"),
        (#"{"a":{"b":[{"c":1},{"d":1,"e":2,"d":3}]}}"#, "/a/b/1/d"),
        (#"{"x/y":{"m~n":1,"m\u007en":2}}"#, "/x~1y/m~0n"),
        (#"{"results":[{"a":1},{"b":{"c":null,"c":null}}]}"#, "/results/1/b/c"),
    ])
    func refusesRepeatedMemberNamesNamingThePointer(json: String, pointer: String) throws {
        let error = try #require(Self.parseError(Array(json.utf8)))
        #expect(error.pointer == pointer)
        #expect(error.message.contains("RFC 7493"))
    }

    @Test func findsARepeatedNameInALargeObject() throws {
        let members = (0..<40).map { #""m\#($0)":\#($0)"# } + [#""m7":0"#]
        let error = try #require(Self.parseError(Array(("{" + members.joined(separator: ",") + "}").utf8)))
        #expect(error.pointer == "/m7")
    }

    @Test func aSyntaxErrorOutranksARepeatedName() throws {
        let error = try #require(Self.parseError(Array(#"[{"a":1,"a":2},x]"#.utf8)))
        #expect(error.pointer == nil)
    }

    @Test func namesUPlus0000InAnUploadByPointer() throws {
        var bytes = Array(Fixtures.contractExample.utf8)
        let hostname = Array(#""hostname": ""#.utf8)
        let at = try #require(bytes.indices.first { bytes[$0...].starts(with: hostname) }) + hostname.count
        bytes.insert(contentsOf: Array(#"a\u0000"#.utf8), at: at)
        guard case .failure(let failure) = ProbeResultDecoder.decode(bytes, now: Fixtures.exampleNow) else {
            Issue.record("an upload with U+0000 was accepted")
            return
        }
        #expect(failure.faults.map(\.pointer) == ["/agent/hostname"])
    }

    @Test func namesARepeatedMemberOfAnUploadByPointer() throws {
        let bytes = Array(Fixtures.contractExample.replacingOccurrences(of: #""hostname":"#, with: #""os": "linux", "hostname":"#).utf8)
        guard case .failure(let failure) = ProbeResultDecoder.decode(bytes, now: Fixtures.exampleNow) else {
            Issue.record("an upload with a repeated member name was accepted")
            return
        }
        #expect(failure.faults.map(\.pointer) == ["/agent/os"])
    }
}
