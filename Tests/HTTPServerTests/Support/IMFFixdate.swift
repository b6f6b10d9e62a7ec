import Foundation

/// The time an IMF-fixdate (RFC 9110 §5.6.7, the one form a server sends in `Date`) names, or
/// nil for any other text.
func imfFixdate(_ text: String?) -> Date? {
    guard let text else { return nil }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
    return date
}
