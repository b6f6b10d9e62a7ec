@testable import JSON
import Foundation
import Testing

/// `JSONWriter.double`'s short-decimal path against `description` (what `JSONEncoder` writes):
/// figures with few decimals, their neighbours one ULP away, and arbitrary doubles.
@Suite struct JSONWriterDecimalTests {
    private func written(_ value: Double) -> String {
        let json = JSONWriter(capacity: 64)
        json.double(value)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    private func expected(_ value: Double) -> String {
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    @Test func spellsFewDecimalFiguresAsDescriptionDoes() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0.001, 0.0011, 0.05, 0.1, 0.3, 0.1 + 0.2, 21.4, 99.99, 123456.789, 999_999_999.5, 999_999_999.999999,
                                1e9 + 0.5, 0.000999, -18.2, -0.25, 2.5e-4, 3600.5]
        for _ in 0..<20_000 {
            let decimals = Int.random(in: 1...7, using: &generator)
            let digits = Double(Int64.random(in: -2_000_000_000_000...2_000_000_000_000, using: &generator))
            let value = digits / pow(10, Double(decimals))
            values += [value, value.nextUp, value.nextDown]
            values.append(Double.random(in: -1e10...1e10, using: &generator))
            values.append(Double.random(in: 0...1, using: &generator))
        }
        for value in values { #expect(written(value) == expected(value), "\(value)") }
    }
}
