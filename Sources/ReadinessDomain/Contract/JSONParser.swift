import Foundation

/// A strict RFC 8259 parser from bytes to `JSONValue`.
///
/// Written by hand rather than through `JSONSerialization` because on Linux that returns
/// `NSNumber` for both booleans and numbers (so `"reachable": 1` would pass as `true`), and
/// because uploads are parsed on the hot path of the API.
public struct JSONParseError: Error, Sendable, Equatable {
    public let offset: Int
    public let message: String
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
