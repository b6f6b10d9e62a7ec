import Foundation

extension UUID {
    /// The lower-case form (RFC 9562 §4): what PostgreSQL prints and the API documents.
    /// Foundation's `uuidString` is upper-case.
    var apiString: String { uuidString.lowercased() }
}
