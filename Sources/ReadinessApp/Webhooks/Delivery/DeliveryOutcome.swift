import Foundation
import HTTPClient

/// What one attempt came to, as `webhook_attempts.outcome` records it.
enum DeliveryOutcome: String, Sendable {
    /// Any 2xx: the receiver has it.
    case delivered
    /// A timeout, a connection failure, 408, 429 or 5xx: tried again on the schedule.
    case retry
    /// Any other 4xx (or out of time, or refused destination): not tried again.
    case failed
    /// 410 Gone: the receiver asked us to stop, so the subscription is disabled.
    case disabled

    /// The event's state once an attempt came to this.
    var eventState: String {
        switch self {
        case .delivered: "delivered"
        case .retry: "pending"
        case .failed, .disabled: "failed"
        }
    }

    /// The outcome of a status code (RFC 9110 §15): 408 and 429 say "later", 410 says "never".
    static func of(status: Int) -> DeliveryOutcome {
        switch status {
        case 200...299: .delivered
        case 410: .disabled
        case 408, 429, 500...599: .retry
        default: .failed
        }
    }
}

/// `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as seconds from `now`.
enum RetryAfter {
    static func seconds(_ value: String?, now: Date) -> TimeInterval? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let delay = Int(text) { return delay >= 0 ? TimeInterval(delay) : nil }
        guard let date = imfFixdate.date(from: text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// RFC 9110 §5.6.7's preferred form, `Sun, 06 Nov 1994 08:49:37 GMT`.
    private static let imfFixdate: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter
    }()
}
