import Foundation
import Postgres

/// A JSON array of flat objects, bound as one `jsonb` parameter and expanded server-side with
/// `jsonb_to_recordset`: a whole commit group becomes one statement and one parse, with no
/// per-row round trip. Result bodies are already canonical JSON, so they are spliced in as
/// they are, with no escaping pass (a `text[]` literal would have to escape every quote).
struct RecordsetJSON {
    /// A double that JSON cannot carry (NaN, ±infinity); the caller takes the per-upload path,
    /// which binds it as float8 text.
    struct NonFiniteNumber: Error {}

    private(set) var bytes: [UInt8] = [UInt8(ascii: "[")]
    private var fieldCount = 0
    private(set) var rowCount = 0

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    mutating func beginRow() {
        if rowCount > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "{"))
        fieldCount = 0
        rowCount += 1
    }

    mutating func endRow() { bytes.append(UInt8(ascii: "}")) }

    /// Text the server parses back with the column's type input (uuid, timestamptz, text).
    mutating func field(_ name: StaticString, _ value: (some PostgresEncodable)?) {
        key(name)
        guard let value else { return null() }
        Self.appendString(value.postgresText(), to: &bytes)
    }

    mutating func field(_ name: StaticString, _ value: Int?) {
        key(name)
        guard let value else { return null() }
        bytes += Array(String(value).utf8)
    }

    mutating func field(_ name: StaticString, _ value: Double?) throws {
        key(name)
        guard let value else { return null() }
        guard value.isFinite else { throw NonFiniteNumber() }
        // Shortest round-trip form; float8 input of it gives back the same double.
        bytes += Array(value.description.utf8)
    }

    /// A JSON array of strings, which jsonb_to_recordset turns into a `text[]` column.
    mutating func field(_ name: StaticString, strings: [String]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, text) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.appendString(text, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Bytes that are already one JSON value (a canonical result body, an encoded assessment).
    mutating func field(_ name: StaticString, json: [UInt8]) {
        key(name)
        bytes += json
    }

    mutating func finish() -> PostgresJSONB {
        bytes.append(UInt8(ascii: "]"))
        return PostgresJSONB(bytes: bytes)
    }

    private mutating func key(_ name: StaticString) {
        if fieldCount > 0 { bytes.append(UInt8(ascii: ",")) }
        fieldCount += 1
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    private mutating func null() { bytes += Array("null".utf8) }

    /// RFC 8259 §7: quote, backslash and control characters escaped; everything else as UTF-8.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
