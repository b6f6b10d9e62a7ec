import Foundation
import Testing
@testable import ReadinessApp

/// Responses written by hand (`JSONWritable`) must stay the bytes `APIJSON.encoder` writes.
@Suite struct JSONWritableTests {
    static let figures: [Double?] = [nil, 0, 3, 21.041666666666664, 90711.90000000001, 1e-7, 1e16, -0.5, 4.5, 0.1 + 0.2]
    static let names = ["emea", "odd \"name\"\\/\u{1}\n é ☃", ""]

    static func point(_ index: Int) -> HistoryPoint {
        HistoryPoint(
            at: Date(timeIntervalSince1970: 1_764_720_000 + Double(index) * 86_400 + (index % 3 == 0 ? 0.125 : 0)),
            verdict: ["optimal", "minimal", "not_ready", "insufficient_data"][index % 4],
            score: index % 5 == 0 ? nil : index * 7 % 101,
            rttMsP50: figures[index % figures.count], jitterMsP50: figures[(index + 1) % figures.count],
            lossPctP50: figures[(index + 2) % figures.count], downKbps: figures[(index + 3) % figures.count],
            upKbps: figures[(index + 4) % figures.count], resultCount: index * 13 % 289)
    }

    static func item(_ index: Int) -> FleetAssessment {
        FleetAssessment(
            siteID: UUID().uuidString.lowercased(), siteName: names[index % names.count],
            region: index % 4 == 0 ? nil : names[(index + 1) % names.count],
            verdict: ["optimal", "stale", "not_ready"][index % 3], score: index % 3 == 1 ? nil : index % 101,
            mos: figures[index % figures.count], transport: index % 2 == 0 ? nil : "udp_media_direct",
            findingCodes: Array(["UDP_3478_BLOCKED", "RTT_HIGH", "x\"y"].prefix(index % 4)),
            newestResultAt: index % 5 == 0 ? nil : Date(timeIntervalSince1970: 1_764_720_000.5 + Double(index)))
    }

    @Test(arguments: [HistoryBucket.raw, .hour, .day], [0, 1, 40, 365])
    func historyIsTheBytesAPIJSONWrote(bucket: HistoryBucket, count: Int) throws {
        let history = SiteHistory(siteID: UUID().uuidString.lowercased(), bucket: bucket, points: (0..<count).map(Self.point))
        let written = try #require(history.jsonBytes())
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: try APIJSON.encoder.encode(history), as: UTF8.self))
    }

    @Test(arguments: [0, 1, 30, 100])
    func fleetPagesAreTheBytesAPIJSONWrote(count: Int) throws {
        for limit in [count, max(1, count - 1)] {
            let page = Page(fetched: (0..<count).map(Self.item), limit: limit, key: \.siteID)
            let written = try #require(page.jsonBytes())
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: try APIJSON.encoder.encode(page), as: UTF8.self))
        }
    }

    /// The response goes through the hand-written path, and a figure JSON cannot carry is
    /// still refused as Foundation's encoder refused it.
    @Test func responsesUseTheWriterAndStillRefuseNonFiniteFigures() throws {
        let history = SiteHistory(siteID: "s", bucket: .day, points: (0..<3).map(Self.point))
        #expect(try APIJSON.response(history).body == history.jsonBytes())
        var broken = Self.point(1)
        broken.rttMsP50 = .nan
        let refused = SiteHistory(siteID: "s", bucket: .day, points: [broken])
        #expect(refused.jsonBytes() == nil)
        #expect(throws: EncodingError.self) { try APIJSON.response(refused) }
    }
}
