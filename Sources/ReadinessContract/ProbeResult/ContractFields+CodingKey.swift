import JSON

/// The field enums of `ProbeResult+Fields` are also the Codable types' coding keys
/// (`typealias CodingKeys = ResultField`, …): a member's name is spelled once, in its field,
/// for the contract reader and for `Codable` alike. The compiler would otherwise derive a key's
/// text from the case name (`runID`, not `run_id`); these take it from `name`.
extension ContractFields where Self: CodingKey {
    var stringValue: String { name.description }

    /// Compared as bytes: a decoder asks once per member, and `name.description` would build a
    /// `String` for every field it passes over.
    init?(stringValue: String) {
        var raw = 0
        while let field = Self(rawValue: raw) {
            if field.name.withUTF8Buffer({ stringValue.utf8.elementsEqual($0) }) {
                self = field
                return
            }
            raw += 1
        }
        return nil
    }

    var intValue: Int? { nil }

    init?(intValue: Int) { nil }
}
