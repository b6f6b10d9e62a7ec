import Foundation
import Postgres

/// Finds sites for the operations that act on one, with the access rule every one of them
/// shares: a site the caller may not read does not exist for it (404, never 403).
struct SiteDirectory: Sendable {
    let database: PostgresPool

    func find(_ id: UUID) async throws -> SiteRecord? {
        let rows = try await database.query(
            "SELECT \(unsafeRaw: SiteRecord.columns) FROM sites WHERE id = \(id)", idempotent: true)
        return try rows.first.map(SiteRecord.init(row:))
    }

    /// The site named by a path parameter, or 404 when it is malformed, missing, or not the
    /// caller's (an agent token asking about another site).
    func require(_ idText: String?, readableBy principal: Principal) async throws -> SiteRecord {
        let id = try Self.readableID(idText, by: principal)
        guard let site = try await find(id) else { throw SiteNotFound(idText) }
        return site
    }

    /// The site id named by a path parameter when the caller may read that site, without a
    /// round trip: for reads that look the site up themselves (404 for malformed or foreign).
    static func readableID(_ idText: String?, by principal: Principal) throws -> UUID {
        guard let idText, let id = UUID(uuidString: idText), principal.canRead(site: id) else { throw SiteNotFound(idText) }
        return id
    }
}
