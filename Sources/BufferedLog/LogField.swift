/// One field of a line logged without a `Logger.Metadata`: a key known at compile time and a
/// value written straight into the line. For the access log, which runs for every request: a
/// metadata dictionary costs hashing, an allocation and a sort of its keys per line, about half
/// of what a request cost the server before (callgrind, `make bench-http-instructions`).
///
/// The line reads exactly as the same fields given as `.string` metadata would (keys in order,
/// values as strings in JSON), so a reader cannot tell which path wrote it.
public struct LogField: Sendable {
    /// Plain ASCII without spaces, quotes, `=` or controls: written as it is, never escaped.
    public let key: StaticString
    public let value: Value

    public enum Value: Sendable {
        case text(String)
        /// A non-negative integer's decimal digits (`200`).
        case integer(Int)
        /// Thousandths as a decimal with three places (`12345` is `12.345`).
        case thousandths(UInt64)
    }

    public init(_ key: StaticString, _ value: Value) {
        self.key = key
        self.value = value
    }
}

extension LogField.Value {
    /// Appends the value as text: `text` as the formatter writes strings (quoted when it must
    /// be, in `quoting`'s way); numbers, which never need quoting, as digits.
    func append<Bytes: ByteAppending>(to buffer: inout Bytes, quoting: (String, inout Bytes) -> Void) {
        switch self {
        case .text(let text): quoting(text, &buffer)
        case .integer(let value): appendDigits(value, count: 1, to: &buffer)
        case .thousandths(let value):
            appendDigits(Int(clamping: value / 1000), count: 1, to: &buffer)
            buffer.append(UInt8(ascii: "."))
            appendDigits(Int(value % 1000), count: 3, to: &buffer)
        }
    }

    /// Whether the value needs no quotes in JSON (it always gets them: shippers should not
    /// guess types from one line to the next).
    var isNumber: Bool {
        if case .text = self { return false }
        return true
    }
}
