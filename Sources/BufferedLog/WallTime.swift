import UTCCalendar

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
    func appendRFC3339<Bytes: ByteAppending>(to buffer: inout Bytes) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = CivilCalendar.civil(fromDays: Int(days))
        if (0...9999).contains(year) { appendFixedDigits(year, 4, to: &buffer) } else { appendDigits(year, count: 4, to: &buffer) }
        buffer.append(UInt8(ascii: "-"))
        appendFixedDigits(month, 2, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendFixedDigits(day, 2, to: &buffer)
        buffer.append(UInt8(ascii: "T"))
        appendFixedDigits(secondOfDay / 3600, 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendFixedDigits(secondOfDay / 60 % 60, 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendFixedDigits(secondOfDay % 60, 2, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        appendFixedDigits(Int(nanoseconds / 1_000_000), 3, to: &buffer)
        buffer.append(UInt8(ascii: "Z"))
    }
}

/// `value` (0 ..< 10^digits) in exactly `digits` decimal digits, unrolled: the time's fields
/// are written for every log line.
@inline(__always)
func appendFixedDigits<Bytes: ByteAppending>(_ value: Int, _ digits: Int, to buffer: inout Bytes) {
    if digits >= 4 { buffer.append(UInt8(ascii: "0") + UInt8(value / 1000 % 10)) }
    if digits >= 3 { buffer.append(UInt8(ascii: "0") + UInt8(value / 100 % 10)) }
    buffer.append(UInt8(ascii: "0") + UInt8(value / 10 % 10))
    buffer.append(UInt8(ascii: "0") + UInt8(value % 10))
}

/// `value` in decimal, zero-padded to `count` digits (a year past 9999 keeps its extra digits).
/// One division per digit, made backwards in a small scratch space, then appended byte by byte
/// (cheaper for a few bytes than `append(contentsOf:)`'s generic path).
func appendDigits<Bytes: ByteAppending>(_ value: Int, count: Int, to buffer: inout Bytes) {
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
