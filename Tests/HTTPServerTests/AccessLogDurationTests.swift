import Testing
@testable import HTTPServer

@Suite struct AccessLogDurationTests {
    @Test(arguments: [
        (UInt64(0), "0.000"), (UInt64(7), "0.007"), (UInt64(41), "0.041"), (UInt64(999), "0.999"),
        (UInt64(1000), "1.000"), (UInt64(12_345), "12.345"), (UInt64(10_000_001), "10000.001"),
    ])
    func durationIsMillisecondsWithThreeDecimals(micros: UInt64, expected: String) {
        #expect(AccessLogMiddleware.milliseconds(micros: micros) == expected)
    }
}
