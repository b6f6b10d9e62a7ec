import JSON
import Foundation

extension ProbeResult {
    /// The result as canonical JSON: sorted keys, no insignificant whitespace, absent and
    /// `null` optionals both omitted, unknown upload fields dropped, timestamps in UTC.
    ///
    /// `run_id` is the idempotency key (probe-result-v1.md): two uploads of one run are the
    /// same upload exactly when these bytes are equal, whatever their key order, spacing or
    /// timestamp offsets were.
    ///
    /// Written by `JSONWriter` (`canonicalJSONBytes()`), byte for byte what `JSONEncoder` with
    /// `[.sortedKeys, .withoutEscapingSlashes]` and RFC 3339 dates writes, so hashes stored
    /// before stay comparable.
    public func canonicalJSON() -> Data {
        Data(canonicalJSONBytes())
    }
}
