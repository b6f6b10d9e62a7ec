import Foundation
import UTCCalendar

/// RFC 3339 §5.6 `date-time` parsing and canonical formatting, by hand: `ISO8601DateFormatter`
/// needs a different configuration for fractional seconds, and is slow on the upload path.
public enum RFC3339Timestamp {
    /// Parses `2026-11-24T10:00:00Z`, `2026-11-24T10:00:00.250+02:00` and the like. `T` and `Z`
    /// may be lower case (RFC 3339 §5.6 note). A leap second (`:60`) is accepted and lands on
    /// the following second, which is all `Date` can represent.
    public static func parse(_ text: String) -> Date? {
        if let date = text.utf8.withContiguousStorageIfAvailable(parse(bytes:)) { return date }
        return Array(text.utf8).withUnsafeBufferPointer(parse(bytes:))
    }

    package static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Date? {
        guard b.count >= 20 else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in from..<(from + count) {
                let d = Int(b[i]) - 48
                guard d >= 0, d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2), b[7] == UInt8(ascii: "-"),
              let day = digits(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              let hour = digits(11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
              b[16] == UInt8(ascii: ":"), let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 60 else { return nil }
        var index = 19
        var fraction = 0.0
        if b[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < b.count, b[index] >= 48, b[index] <= 57 {
                fraction += Double(b[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < b.count else { return nil }
        var offsetSeconds = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == b.count, let oh = digits(index + 1, 2), b[index + 3] == UInt8(ascii: ":"),
                  let om = digits(index + 4, 2), oh <= 23, om <= 59 else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[index] == UInt8(ascii: "+") ? 1 : -1)
            index += 6
        default:
            return nil
        }
        guard index == b.count else { return nil }
        let days = CivilCalendar.days(fromCivil: year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// The canonical spelling used in canonical encodings: UTC, `Z`, and fractional seconds
    /// only when present (microsecond precision, trailing zeros trimmed).
    public static func format(_ date: Date) -> String {
        withFormatted(date) { String(decoding: $0, as: UTF8.self) }
    }

    /// `body` over the canonical spelling's bytes (at most 27), written without a String: a
    /// canonical body holds two timestamps.
    public static func withFormatted<T>(_ date: Date, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let totalSeconds = Int((micros / 1_000_000).rounded(.down))
        let fractionMicros = Int(micros - Double(totalSeconds) * 1_000_000)
        let days = totalSeconds >= 0 ? totalSeconds / 86_400 : (totalSeconds - 86_399) / 86_400
        let secondOfDay = totalSeconds - days * 86_400
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { out in
            var count = 0
            func put(_ byte: UInt8) { out[count] = byte; count += 1 }
            func digits(_ value: Int, _ width: Int) {
                // Wider values (a year past 9999) keep all their digits, as `String(value)` did.
                var text = value.magnitude, length = 1
                while text >= 10 { text /= 10; length += 1 }
                if value < 0 { put(UInt8(ascii: "-")) }
                for _ in length..<max(length, width) { put(UInt8(ascii: "0")) }
                var rest = value.magnitude
                for position in stride(from: count + length - 1, through: count, by: -1) {
                    out[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                count += length
            }
            digits(year, 4); put(UInt8(ascii: "-")); digits(month, 2); put(UInt8(ascii: "-")); digits(day, 2)
            put(UInt8(ascii: "T"))
            digits(secondOfDay / 3600, 2); put(UInt8(ascii: ":")); digits(secondOfDay / 60 % 60, 2)
            put(UInt8(ascii: ":")); digits(secondOfDay % 60, 2)
            if fractionMicros > 0 {
                put(UInt8(ascii: "."))
                digits(fractionMicros, 6)
                while out[count - 1] == UInt8(ascii: "0") { count -= 1 }
            }
            put(UInt8(ascii: "Z"))
            return body(UnsafeBufferPointer(rebasing: out[0..<count]))
        }
    }

    /// The UTC calendar month of `date` as year × 12 + month (1...12), without Foundation's
    /// `Calendar` (microseconds per call, on every upload).
    public static func utcMonthIndex(_ date: Date) -> Int {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let (year, month, _) = CivilCalendar.civil(fromDays: days)
        return year * 12 + month
    }

    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
