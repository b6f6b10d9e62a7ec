import Testing
@testable import ReadinessApp

@Suite struct ETagMatchTests {
    @Test(arguments: [
        ("\"v1\"", true), ("W/\"v1\"", true), ("*", true), (" \"v0\" ,\t\"v1\" ", true),
        ("\"v1-stale\"", false), ("v1", false), ("", false), ("\"v0\", W/\"v2\"", false),
    ])
    func ifNoneMatchUsesTheWeakComparisonOverAList(header: String, matches: Bool) {
        #expect(ETagMatch.matches(header, etag: "\"v1\"") == matches)
    }

    @Test func absentHeaderNeverMatches() {
        #expect(!ETagMatch.matches(nil, etag: "\"v1\""))
    }
}
