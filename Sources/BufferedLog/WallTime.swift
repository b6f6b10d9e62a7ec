#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A moment of the real-time clock: seconds since the Unix epoch and the nanoseconds within.
public struct WallTime: Sendable, Equatable {
    public var seconds: Int64
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// `CLOCK_REALTIME`, read directly: `Date()` and `DateFormatter` cost far more per line.
    public static func now() -> WallTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return WallTime(seconds: Int64(spec.tv_sec), nanoseconds: Int32(spec.tv_nsec))
    }

    /// RFC 3339 in UTC with milliseconds (`2026-12-05T02:09:29.123Z`, always 24 bytes), by
    /// arithmetic: no time zone lookup, no formatter, no allocation beyond `buffer`'s growth.
    func appendRFC3339(to buffer: inout [UInt8]) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        appendDigits(Int(year), count: 4, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        appendDigits(Int(nanoseconds / 1_000_000), count: 3, to: &buffer)
        buffer.append(UInt8(ascii: "Z"))
    }

    /// Year, month and day of a day count since 1970-01-01 in the proleptic Gregorian calendar
    /// (Howard Hinnant's `civil_from_days`, http://howardhinnant.github.io/date_algorithms.html).
    static func civil(fromDays daysSinceEpoch: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// `value` in decimal, zero-padded to `count` digits (a year past 9999 keeps its extra digits).
/// One division per digit, made backwards in a small scratch space, then appended byte by byte
/// (cheaper for a few bytes than `append(contentsOf:)`'s generic path).
func appendDigits(_ value: Int, count: Int, to buffer: inout [UInt8]) {
    var remaining = UInt(max(0, value))
    var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: any Int's 19 digits, and padding
    withUnsafeMutableBytes(of: &scratch) { digits in
        var start = digits.count
        let least = digits.count - min(count, digits.count)
        repeat {
            start -= 1
            digits[start] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        } while remaining > 0 || start > least
        for index in start..<digits.count { buffer.append(digits[index]) }
    }
}
