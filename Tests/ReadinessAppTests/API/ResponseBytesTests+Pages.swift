import Foundation
import Testing
@testable import ReadinessApp

/// A page of items that do not write themselves goes through `JSONEncoder`: its bytes, pinned
/// before `Page`'s members were declared once (`PageShape`), must match a page whose items do.
extension ResponseBytesTests {
    /// Synthesized `Encodable` only: no writer of its own.
    struct EncodedOnlyItem: Encodable, Sendable {
        let name: String
        let at: Date
        let figure: Double?
    }

    @Test func pageOfItemsWithoutAWriter() throws {
        let items = [EncodedOnlyItem(name: "a/\"b\"", at: Self.at, figure: 0.1 + 0.2), EncodedOnlyItem(name: "é", at: Self.at, figure: nil)]
        #expect(Self.text(try APIJSON.response(Page(fetched: items, limit: 1) { $0.name }).body) == """
            {"items":[{"at":"2025-12-03T00:00:00Z","figure":0.30000000000000004,"name":"a/\\"b\\""}],\
            "next_cursor":"\(Cursor.encode("a/\"b\""))"}
            """)
        #expect(Self.text(try APIJSON.response(Page(fetched: items, limit: 2) { $0.name }).body) == """
            {"items":[{"at":"2025-12-03T00:00:00Z","figure":0.30000000000000004,"name":"a/\\"b\\""},\
            {"at":"2025-12-03T00:00:00Z","name":"é"}],"next_cursor":null}
            """)
        #expect(throws: EncodingError.self) {
            try APIJSON.response(Page(fetched: [EncodedOnlyItem(name: "x", at: Self.at, figure: .infinity)], limit: 1) { $0.name })
        }
    }
}
