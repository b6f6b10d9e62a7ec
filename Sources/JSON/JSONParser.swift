import Foundation

/// A strict RFC 8259 parser from bytes to `JSONValue`, held to I-JSON (RFC 7493): UTF-8 only
/// and each member name once per object (see `JSONTape+Strict`).
///
/// Written by hand rather than through `JSONSerialization` because on Linux that returns
/// `NSNumber` for both booleans and numbers (so `"reachable": 1` would pass as `true`), and
/// because uploads are parsed on the hot path of the API.
public struct JSONParseError: Error, Sendable, Equatable {
    /// Where in the input the fault was found (for a repeated member name, its object's end
    /// unless the name arrived without escapes).
    public let offset: Int
    public let message: String
    /// For a document that is well-formed JSON but not I-JSON (RFC 7493), such as one with a
    /// member name repeated in its object: where, as a JSON pointer (RFC 6901). The caller's
    /// answer is then "wrong content" (422), not "not JSON" (400). Nil for syntax errors.
    public let pointer: String?

    public init(offset: Int, message: String, pointer: String? = nil) {
        self.offset = offset
        self.message = message
        self.pointer = pointer
    }
}

public enum JSONParser {
    /// Parsed as a `JSONTape` (the one parser, see `JSONTape+Parser`), then built into a tree.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try JSONTape.parse(bytes).tree(JSONTape.Value(index: 0))
    }

    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        try parse([UInt8](data))
    }
}
