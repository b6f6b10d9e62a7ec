import Foundation
import Postgres

/// One site's current assessment, flattened (openapi `FleetAssessment`, the CSV columns).
///
/// Staleness is decided at read time, not when the row was written: a site goes stale
/// because no result arrived, and nothing is written then.
struct FleetAssessment: Sendable, Equatable {
    var siteID: String
    var siteName: String
    var region: String?
    var verdict: String
    var score: Int?
    var mos: Double?
    var transport: String?
    var findingCodes: [String]
    var newestResultAt: Date?
}

// In an extension, so the memberwise initializer stays (tests build items with it).
extension FleetAssessment {
    /// From a row of ``FleetQuery/select``. A stale site shows no score, MOS or transport:
    /// those describe the network now, and nothing recent says what it is; its finding codes
    /// stay, as the last known problems.
    init(row: PostgresRow) throws {
        // uuid_out's text is the API's spelling already (lower-case 8-4-4-4-12): no UUID parsed
        // and formatted again (`uuidString` runs snprintf) for each of a page's rows.
        siteID = try row.decode(String.self, column: "id")
        siteName = try row.decode(String.self, column: "name")
        region = try row.decode(String?.self, column: "region")
        let stale = try row.decode(Bool.self, column: "stale")
        verdict = stale ? "stale" : try row.decode(String.self, column: "verdict")
        score = stale ? nil : try row.decode(Int?.self, column: "score")
        mos = stale ? nil : try row.decode(Double?.self, column: "mos")
        transport = stale ? nil : try row.decode(String?.self, column: "transport")
        findingCodes = try row.decode([String].self, column: "finding_codes")
        newestResultAt = try row.decode(Date?.self, column: "newest_result_at")
    }
}
