import Foundation
import Postgres

/// The fleet's state for teams that alert from Prometheus and Alertmanager rather than webhooks:
/// sites by verdict (stale included) and sites by finding code, read from PostgreSQL when
/// scraped. Two aggregates over the sites' current assessments: the cost follows the number of
/// sites, never the results. Labels are bounded (verdicts; the policies' finding codes), never
/// a site id. Every replica reports the same fleet: aggregate with `max`, not `sum`.
struct FleetFigures {
    let byVerdict: [String: Int]
    let byFinding: [String: Int]

    static func load(now: Date, database: PostgresPool) async throws -> FleetFigures {
        let byVerdict = try await FleetSummary.verdictCounts(now: now, database: database)
        let rows = try await database.query(
            """
            SELECT code, count(*)::int AS n
            FROM sites s JOIN site_assessments a ON a.site_id = s.id, unnest(a.finding_codes) AS code
            WHERE s.archived_at IS NULL GROUP BY code
            """, idempotent: true)
        var byFinding: [String: Int] = [:]
        for row in rows { byFinding[try row.decode(String.self, column: "code")] = try row.decode(Int.self, column: "n") }
        return FleetFigures(byVerdict: byVerdict, byFinding: byFinding)
    }

    func append(to buffer: inout [UInt8]) {
        func gauge(_ name: String, _ help: String, label: String, _ values: [String: Int]) {
            buffer.append(contentsOf: "# HELP \(name) \(help)\n# TYPE \(name) gauge\n".utf8)
            for key in values.keys.sorted() {
                buffer.append(contentsOf: "\(name){\(label)=\"\(key)\"} \(values[key] ?? 0)\n".utf8)
            }
        }
        gauge("readiness_fleet_sites", "Sites (not archived) by the verdict of their current assessment; stale: no result within the freshness window.",
              label: "verdict", byVerdict)
        gauge("readiness_fleet_sites_with_finding", "Sites (not archived) whose current assessment warns or fails on the finding code.",
              label: "code", byFinding)
    }
}
