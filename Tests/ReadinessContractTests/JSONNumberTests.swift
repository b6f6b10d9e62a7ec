import ReadinessContractFixtures
import JSON
import Foundation
import Testing

/// Numbers take an exact fast path (integer mantissa over a power of ten) when they can; every
/// number must parse to the very double `strtod` (Swift's `Double(String)`) gives.
@Suite struct JSONNumberTests {
    static func parsed(_ text: String) throws -> Double? {
        guard case .number(let value) = try JSONParser.parse(Array(text.utf8)) else { return nil }
        return value
    }

    @Test(arguments: ["0", "-0", "21.4", "19.0", "0.05", "-12.5", "3478", "94000", "0.1", "0.3", "123456789012345",
                      "1234567890123456", "0.000000000000001234", "9007199254740993", "1e5", "2.5E-3", "1.7976931348623157e308",
                      "4.9e-324", "0.1234567890123456789", "999999999999999.9", "100.00000000000001"])
    func knownNumbersParseAsStrtodDoes(text: String) throws {
        let expected = try #require(Double(text))
        #expect(try Self.parsed(text)?.bitPattern == expected.bitPattern, "\(text)")
    }

    @Test func generatedDecimalsParseAsStrtodDoes() throws {
        var generator = SeededGenerator(seed: 21)
        for _ in 0..<20_000 {
            let integerDigits = Int.random(in: 1...16, using: &generator)
            let fractionDigits = Int.random(in: 0...24, using: &generator)
            var text = Bool.random(using: &generator) ? "-" : ""
            text += String(Int.random(in: 1...9, using: &generator))
            for _ in 1..<integerDigits { text += String(Int.random(in: 0...9, using: &generator)) }
            if Int.random(in: 0..<4, using: &generator) == 0 { text = text.hasPrefix("-") ? "-0" : "0" }
            if fractionDigits > 0 {
                text += "."
                for _ in 0..<fractionDigits { text += String(Int.random(in: 0...9, using: &generator)) }
            }
            let expected = try #require(Double(text))
            #expect(try Self.parsed(text)?.bitPattern == expected.bitPattern, "\(text)")
        }
    }
}
