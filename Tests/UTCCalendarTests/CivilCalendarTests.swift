import Foundation
import Testing
import UTCCalendar

@Suite struct CivilCalendarTests {
    @Test(arguments: [
        (0, 1970, 1, 1), (-1, 1969, 12, 31), (11_016, 2000, 2, 29), (11_017, 2000, 3, 1),
        (19_782, 2024, 2, 29), (-719_468, 0, 3, 1), (2_932_896, 9999, 12, 31), (20_792, 2026, 12, 5),
    ])
    func knownDays(days: Int, year: Int, month: Int, day: Int) {
        let civil = CivilCalendar.civil(fromDays: days)
        #expect(civil.year == year && civil.month == month && civil.day == day)
        #expect(CivilCalendar.days(fromCivil: year, month, day) == days)
    }

    /// Every day of 1600...2400 round-trips; every seventh is checked against Foundation's Gregorian calendar in UTC.
    @Test func agreesWithFoundationDayByDay() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let first = CivilCalendar.days(fromCivil: 1600, 1, 1), last = CivilCalendar.days(fromCivil: 2400, 12, 31)
        for days in stride(from: first, through: last, by: 1) {
            let civil = CivilCalendar.civil(fromDays: days)
            #expect(CivilCalendar.days(fromCivil: civil.year, civil.month, civil.day) == days)
            if days % 7 == 0 {  // Foundation is slow: every seventh day (moved from BufferedLogTests)
                let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
                #expect(parts.year == civil.year && parts.month == civil.month && parts.day == civil.day)
            }
        }
    }
}
