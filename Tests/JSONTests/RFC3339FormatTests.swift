@testable import JSON
import Foundation
import Testing

/// `RFC3339Timestamp.format`, now written as bytes, against an independent spelling through
/// Foundation's calendar: the canonical body (and its hash) holds two of these.
@Suite struct RFC3339FormatTests {
    private func reference(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let seconds = (micros / 1_000_000).rounded(.down)
        let fraction = Int(micros - seconds * 1_000_000)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: seconds))
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                          parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        if fraction > 0 {
            var digits = String(format: "%06d", fraction)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    @Test func spellsDatesAsTheCalendarDoes() {
        var generator = SystemRandomNumberGenerator()
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_795_514_400.25),
                     Date(timeIntervalSince1970: 951_782_400), Date(timeIntervalSince1970: 253_402_300_799.999999)]
        for _ in 0..<2000 {
            let micros = Double(Int64.random(in: 0...253_402_300_799_000_000, using: &generator))
            dates.append(Date(timeIntervalSince1970: micros / 1_000_000))
        }
        for date in dates { #expect(RFC3339Timestamp.format(date) == reference(date), "\(date.timeIntervalSince1970)") }
    }
}
