import Foundation
import Testing
@testable import ReadinessApp

/// The policy list's answer, spelled out byte for byte as it was answered before its items'
/// shape was declared once.
extension ResponseBytesTests {
    @Test func policyListAnswer() throws {
        let summaries = [
            PolicyStore.Summary(name: "sococo", latestVersion: 3, versions: [1, 2, 3]),
            PolicyStore.Summary(name: "strict-eu", latestVersion: 1, versions: [1]),
        ]
        #expect(Self.text(try APIJSON.response(["items": summaries]).body) == """
            {"items":[{"latest_version":3,"name":"sococo","versions":[1,2,3]},\
            {"latest_version":1,"name":"strict-eu","versions":[1]}]}
            """)
        #expect(Self.text(try APIJSON.response(["items": [PolicyStore.Summary]()]).body) == #"{"items":[]}"#)
    }
}
