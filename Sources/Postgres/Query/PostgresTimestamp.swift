import Foundation
import UTCCalendar

/// `timestamptz` text, written and read without `DateFormatter` (whose Linux
/// implementation is slow, locale-dependent and drops microseconds).
///
/// Written as UTC ISO 8601 with six fractional digits, the server's own precision.
/// Read in the server's ISO `DateStyle` output (which every connection sets), e.g.
/// `2024-03-01 12:34:56.123456+00`, `... +05:30`, `0044-03-15 10:00:00+00 BC`.
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite else { return interval < 0 ? "-infinity" : "infinity" }
        var seconds = interval.rounded(.down)
        var micros = Int(((interval - seconds) * 1_000_000).rounded())
        if micros == 1_000_000 {
            seconds += 1
            micros = 0
        }
        let total = Int(seconds)
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - days * 86_400
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        // Year 0 in the proleptic Gregorian calendar is 1 BC; PostgreSQL has no year 0.
        let era = year <= 0 ? " BC" : ""
        let shownYear = year <= 0 ? 1 - year : year
        return pad(shownYear, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + " "
            + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
            + "." + pad(micros, 6) + "+00" + era
    }

    /// The binary form (`timestamptz_send`): microseconds since 2000-01-01 00:00 UTC, rounded
    /// exactly as `format` rounds; ±infinity as PostgreSQL's own (Int64 max and min). A date
    /// beyond any timestamp's range becomes a value the server rejects as out of range.
    static func microsecondsSince2000(_ date: Date) -> Int64 {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite else { return interval < 0 ? .min : .max }
        let seconds = interval.rounded(.down)
        guard abs(seconds) < 9e12 else { return seconds < 0 ? .min + 1 : .max - 1 }
        let micros = Int64(((interval - seconds) * 1_000_000).rounded())
        return (Int64(seconds) - postgresEpochOffset) * 1_000_000 + micros
    }

    /// Seconds from the Unix epoch to PostgreSQL's, 2000-01-01 00:00 UTC.
    static let postgresEpochOffset: Int64 = 946_684_800

    /// The binary form read back: the `Date` `parse` gives for the same instant's text (the
    /// same whole seconds plus the same microseconds, in the same arithmetic), so a column
    /// read in either form compares equal; ±infinity as `parse` reads them.
    static func date(microsecondsSince2000 value: Int64) -> Date {
        if value == .max { return .distantFuture }
        if value == .min { return .distantPast }
        let (seconds, micros) = value.quotientAndRemainder(dividingBy: 1_000_000)
        // Floored, as the text form writes a time before 2000 (whole seconds, then a positive fraction).
        let (whole, fraction) = micros < 0 ? (seconds - 1, micros + 1_000_000) : (seconds, micros)
        return Date(timeIntervalSince1970: Double(whole + postgresEpochOffset) + Double(fraction) / 1_000_000)
    }

    static func parse(_ text: [UInt8]) -> Date? {
        var scanner = ByteScanner(text)
        if scanner.skip("infinity") { return scanner.isAtEnd ? .distantFuture : nil }
        if scanner.skip("-infinity") { return scanner.isAtEnd ? .distantPast : nil }
        guard let year = scanner.integer(minDigits: 4), scanner.skip("-"),
              let month = scanner.integer(digits: 2), scanner.skip("-"),
              let day = scanner.integer(digits: 2), scanner.skip(" ") || scanner.skip("T"),
              let hour = scanner.integer(digits: 2), scanner.skip(":"),
              let minute = scanner.integer(digits: 2), scanner.skip(":"),
              let second = scanner.integer(digits: 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var micros = 0
        if scanner.skip(".") {
            var scale = 100_000
            var sawDigit = false
            while let digit = scanner.digit() {
                micros += digit * scale
                scale /= 10
                sawDigit = true
            }
            guard sawDigit else { return nil }
        }
        var offset = 0
        if scanner.skip("Z") {
            offset = 0
        } else if let sign = scanner.sign() {
            guard let hours = scanner.integer(digits: 2) else { return nil }
            var minutes = 0, seconds = 0
            if scanner.skip(":") {
                guard let m = scanner.integer(digits: 2) else { return nil }
                minutes = m
                if scanner.skip(":") {
                    guard let s = scanner.integer(digits: 2) else { return nil }
                    seconds = s
                }
            }
            offset = sign * (hours * 3600 + minutes * 60 + seconds)
        }
        var astronomicalYear = year
        if scanner.skip(" BC") { astronomicalYear = 1 - year }
        guard scanner.isAtEnd else { return nil }
        let days = CivilCalendar.days(fromCivil: astronomicalYear, month, day)
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(local - offset) + Double(micros) / 1_000_000)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// A cursor over ASCII bytes for the small text formats this layer parses.
struct ByteScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    /// Compared in place: every row's timestamp goes through here some ten times, and two
    /// arrays per call (the literal's and the slice's) were most of a fleet page's decoding.
    mutating func skip(_ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { expected in
            guard bytes.count - index >= expected.count else { return false }
            for offset in 0..<expected.count where bytes[index + offset] != expected[offset] { return false }
            index += expected.count
            return true
        }
    }

    mutating func digit() -> Int? {
        guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return nil }
        defer { index += 1 }
        return Int(bytes[index] - UInt8(ascii: "0"))
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }

    mutating func integer(digits count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// At least `minDigits` digits, as many as follow (years beyond 9999 have five or more).
    mutating func integer(minDigits: Int) -> Int? {
        var value = 0
        var seen = 0
        while seen < 9, let digit = digit() {
            value = value * 10 + digit
            seen += 1
        }
        return seen >= minDigits ? value : nil
    }
}
