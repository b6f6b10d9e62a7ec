import ReadinessContractFixtures
import JSON
import Foundation
import Testing
@testable import ReadinessContract
@testable import ReadinessScoring

/// `JSONWriter` must write exactly the bytes `JSONEncoder` wrote (stored documents and ETags
/// depend on them), over generated documents of every shape.
@Suite struct JSONWriterTests {
    let policy: Policy
    let encoder = FoundationJSON.encoder()
    init() throws { policy = try Fixtures.policy() }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The two encodings of a document: equal text, or both refused (a median of two huge
    /// doubles overflows to infinity, which neither writes).
    private func same(_ written: () throws -> [UInt8], _ encoded: () throws -> Data) -> Bool {
        switch (Result(catching: written), Result(catching: encoded)) {
        case let (.success(mine), .success(reference)): return text(mine) == text(Array(reference))
        case (.failure, .failure): return true
        default: return false
        }
    }

    @Test func canonicalResultsAreTheBytesFoundationWrote() throws {
        var inputs = GeneratedInputs(seed: 1)
        for _ in 0..<2000 {
            let result = inputs.result()
            let expected = Array(try encoder.encode(result))
            #expect(text(result.canonicalJSONBytes()) == text(expected))
        }
    }

    @Test func canonicalFormOfTheContractExampleIsUnchanged() throws {
        guard case let .success(decoded) = ProbeResultDecoder.decode(Data(Fixtures.contractExample.utf8), now: Fixtures.exampleNow) else {
            Issue.record("the contract example failed validation")
            return
        }
        let result = try #require(decoded.results.first)
        #expect(result.canonicalJSONBytes() == Array(try encoder.encode(result)))
        #expect(text(result.canonicalJSONBytes()).hasPrefix(#"{"agent":{"hostname":"lobby-pc-3","os":"linux","version":"1.0.0"},"bandwidth":{"down_kbps":94000,"#))
    }

    @Test func evaluationsAreTheBytesFoundationWrote() throws {
        var inputs = GeneratedInputs(seed: 2)
        for _ in 0..<1000 {
            let evaluation = policy.evaluate(inputs.result(), site: inputs.site())
            #expect(same({ try evaluation.jsonBytes() }, { try encoder.encode(evaluation) }))
        }
    }

    @Test func evaluationsWithEveryOptionalShapeAreTheBytesFoundationWrote() throws {
        var inputs = GeneratedInputs(seed: 3)
        for _ in 0..<500 {
            var evaluation = policy.evaluate(inputs.result(), site: inputs.site())
            evaluation.findings = (0..<Int.random(in: 0...4, using: &inputs.generator)).map { _ in inputs.finding() }
            evaluation.score = inputs.chance(50) ? Int.random(in: 0...100, using: &inputs.generator) : nil
            evaluation.mos = inputs.chance(50) ? inputs.double(1...5) : nil
            evaluation.transport = inputs.chance(50) ? inputs.pick(Transport.allCases) : nil
            evaluation.capacity = Capacity(optimalUsers: inputs.chance(50) ? 3 : nil, minimalUsers: inputs.chance(50) ? 1_000_000_000 : nil)
            evaluation.policy = inputs.string()
            #expect(same({ try evaluation.jsonBytes() }, { try encoder.encode(evaluation) }))
        }
    }

    @Test func siteAssessmentsAreTheBytesFoundationWrote() throws {
        var inputs = GeneratedInputs(seed: 4)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for _ in 0..<200 {
            var assessment = inputs.assessment(by: policy, now: now)
            #expect(same({ try assessment.jsonBytes() }, { try encoder.encode(assessment) }))
            assessment.findings += [inputs.finding(), inputs.finding()]
            assessment.mos = inputs.figure()
            assessment.figures = Figures(rttMs: inputs.figure(), jitterMs: inputs.figure(), lossPct: inputs.figure(),
                                         upKbps: inputs.figure(), downKbps: inputs.figure())
            assessment.lastVerdict = inputs.chance(50) ? inputs.pick(Verdict.allCases) : nil
            assessment.newestResultAt = inputs.chance(50) ? inputs.string() : nil
            #expect(same({ try assessment.jsonBytes() }, { try encoder.encode(assessment) }))
        }
    }

    @Test func refusesNumbersJSONCannotCarryAsFoundationDoes() throws {
        var evaluation = policy.evaluate(Fixtures.optimalResult(), site: Fixtures.site)
        evaluation.mos = .nan
        #expect(throws: JSONWriter.NonFiniteNumber.self) { try evaluation.jsonBytes() }
        #expect(throws: EncodingError.self) { try encoder.encode(evaluation) }
    }

    /// Every ASCII character and a few multi-byte ones at every offset of a string longer
    /// than the writer's eight-byte scan, so each lands in each lane of a word.
    @Test func escapesEveryCharacterAtEveryOffsetAsFoundationDoes() throws {
        let filler = Array("abcdefghijklmnopqrstuvwx")
        let specials = (0..<128).compactMap(Unicode.Scalar.init).map(Character.init) + ["é", "😀", "\u{2028}"]
        for special in specials {
            for offset in 0..<filler.count {
                var text = filler
                text[offset] = special
                let value = [String(text)]
                let json = JSONWriter()
                json.beginArray()
                json.string(value[0])
                json.endArray()
                #expect(json.bytes == Array(try encoder.encode(value)), "\(special.unicodeScalars.first?.value ?? 0) at \(offset)")
            }
        }
    }

    @Test func writesIntegralAndFractionalDoublesAsFoundationDoes() throws {
        let values: [Double] = [0, -0.0, 1, -1, 9_007_199_254_740_991, 9_007_199_254_740_992, -9_007_199_254_740_994, 1e15, 1e16,
                                123.0, 0.5, -2.25, 1e-7, 3.0e300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        for value in values {
            let json = JSONWriter()
            json.beginArray()
            json.double(value)
            json.int(Int(exactly: value.rounded(.towardZero)) ?? 7)
            json.endArray()
            let expected = String(decoding: try encoder.encode([value]), as: UTF8.self).dropLast()
                + "," + String(Int(exactly: value.rounded(.towardZero)) ?? 7) + "]"
            #expect(text(json.bytes) == expected, "\(value)")
        }
    }

    /// `document` writes into the array it returns; a document that outgrows that storage
    /// (here 64 bytes for the canonical result) must come out whole, the same bytes.
    @Test func documentsLargerThanTheirStorageComeOutWhole() throws {
        let result = Fixtures.optimalResult()
        let canonical = result.canonicalJSONBytes()
        for capacity in [0, 64, 100, canonical.count - 1, canonical.count, canonical.count + 1, 8192] {
            let written = try JSONWriter.document(capacity: capacity) { result.write(to: $0) }
            #expect(written == canonical, "capacity \(capacity)")
        }
    }

    @Test func documentsWithNonFiniteNumbersAreRefusedWhetherOrNotTheyOutgrewTheirStorage() {
        for capacity in [64, 4096] {
            #expect(throws: JSONWriter.NonFiniteNumber.self) {
                try JSONWriter.document(capacity: capacity) { json in
                    json.beginArray()
                    for _ in 0..<40 { json.string("padding beyond sixty-four bytes") }
                    json.double(.infinity)
                    json.endArray()
                }
            }
        }
    }

    @Test func writesLowerCaseUUIDs() {
        let id = UUID()
        #expect(id.lowercasedString == id.uuidString.lowercased())
    }
}

/// The partition month without Foundation's `Calendar` must be the calendar's month.
@Suite struct MonthIndexTests {
    @Test func utcMonthIndexIsTheGregorianCalendarsMonth() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SeededGenerator(seed: 9)
        let edges: [Double] = [0, -1, 951_782_399.999, 951_782_400, 1_709_251_199.5, 1_709_251_200, 4_102_444_800 - 0.25]
        let dates = edges.map { Date(timeIntervalSince1970: $0) }
            + (0..<2000).map { _ in Date(timeIntervalSince1970: Double.random(in: -2e9...5e9, using: &generator)) }
        for date in dates {
            let parts = calendar.dateComponents([.year, .month], from: date)
            #expect(RFC3339Timestamp.utcMonthIndex(date) == (parts.year ?? 0) * 12 + (parts.month ?? 0), "\(date)")
        }
    }
}
