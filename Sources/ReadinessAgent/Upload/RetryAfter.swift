import Foundation

/// `Retry-After` (RFC 9110 §10.2.3) of a 429 or 503: when the service wants to hear from this
/// agent again.
enum RetryAfter {
    /// The longest wait honoured: a service (or a proxy in front of it) asking for more still
    /// hears from the agent within a day, as a day of results is what its budget keeps.
    static let longest: TimeInterval = 86_400

    /// The moment named by `value`, delay-seconds or an HTTP-date; nil when it is neither.
    static func moment(_ value: String, now: Date) -> Date? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(text), seconds >= 0 {
            return now.addingTimeInterval(min(TimeInterval(seconds), longest))
        }
        // IMF-fixdate, the form RFC 9110 §5.6.7 requires senders to use.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = formatter.date(from: text) else { return nil }
        return min(max(date, now), now.addingTimeInterval(longest))
    }
}
