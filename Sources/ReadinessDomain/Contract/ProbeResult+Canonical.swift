import Foundation

extension ProbeResult {
    /// The result as canonical JSON: sorted keys, no insignificant whitespace, absent and
    /// `null` optionals both omitted, unknown upload fields dropped, timestamps in UTC.
    ///
    /// `run_id` is the idempotency key (probe-result-v1.md): two uploads of one run are the
    /// same upload exactly when these bytes are equal, whatever their key order, spacing or
    /// timestamp offsets were.
    public func canonicalJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339Timestamp.format(date))
        }
        // Encoding plain structs of strings, numbers and booleans cannot fail; an empty
        // result (never equal to a real one) keeps the function total without a `try!`.
        return (try? encoder.encode(self)) ?? Data()
    }
}
