import Testing
@testable import BufferedLog

@Suite struct AppendDigitsTests {
    @Test(arguments: [
        (0, 1, "0"), (7, 3, "007"), (12_345, 2, "12345"), (59, 2, "59"), (2026, 4, "2026"),
        (Int.max, 1, "9223372036854775807"), (-5, 2, "00"), (42, 30, String(repeating: "0", count: 22) + "42"),
    ])
    func writesZeroPaddedDecimal(value: Int, count: Int, expected: String) {
        var buffer: [UInt8] = Array("x".utf8)
        appendDigits(value, count: count, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "x" + expected.suffix(24))
    }
}
