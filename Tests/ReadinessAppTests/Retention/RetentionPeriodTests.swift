import JSON
import Foundation
import Testing
@testable import ReadinessApp

@Suite struct RetentionPeriodTests {
    static func at(_ text: String) throws -> Date { try #require(RFC3339Timestamp.parse(text)) }

    @Test func theCutoffIsDaysBeforeNowAndPruningStopsAtTheStartOfItsUTCMonth() throws {
        let period = RetentionPeriod(days: 60)
        let now = try Self.at("2026-12-03T20:00:00Z")
        #expect(period.cutoff(now: now) == (try Self.at("2026-10-04T20:00:00Z")))
        #expect(period.pruneBoundary(now: now) == (try Self.at("2026-10-01T00:00:00Z")))
        // The month before the cutoff's goes a day after the cutoff entered a new month.
        #expect(RetentionPeriod(days: 31).pruneBoundary(now: try Self.at("2026-02-02T00:00:00Z")) == (try Self.at("2026-01-01T00:00:00Z")))
        #expect(RetentionPeriod(days: 31).pruneBoundary(now: try Self.at("2026-02-01T23:59:59Z")) == (try Self.at("2025-12-01T00:00:00Z")))
    }

    @Test(arguments: [
        ("results_2026_01", "2026-02-01T00:00:00Z"),
        ("results_2026_12", "2027-01-01T00:00:00Z"),
    ])
    func aMonthlyPartitionEndsAtTheNextMonthsStart(name: String, end: String) throws {
        #expect(ResultPruner.monthEnd(ofPartition: name) == (try Self.at(end)))
    }

    @Test(arguments: ["results_2026_13", "results_2026_1", "results_default", "result_2026_01", "results_2026_01_x", "results_20x6_01"])
    func otherTablesAreNotMonths(name: String) {
        #expect(ResultPruner.monthEnd(ofPartition: name) == nil)
    }

    @Test func theEnvironmentSetsTheRetentionInDays() throws {
        #expect(try AppConfiguration(environment: [:]).retention == nil, "kept for ever unless set")
        #expect(try AppConfiguration(environment: ["READINESS_RETENTION_DAYS": "0"]).retention == nil)
        #expect(try AppConfiguration(environment: ["READINESS_RETENTION_DAYS": "400"]).retention == RetentionPeriod(days: 400))
        for bad in ["30", "-1", "a year", "36501"] {
            #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["READINESS_RETENTION_DAYS": bad]) }
        }
    }
}
