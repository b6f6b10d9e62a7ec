import Foundation
import JSON
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

    /// `PageShape`'s writer for such items, which `APIJSON` does not call: the encoder's bytes,
    /// and a figure the encoder refuses makes the document refuse itself.
    @Test func pageShapeWritesItemsWithoutAWriterAsTheEncoderDoes() throws {
        let items = [EncodedOnlyItem(name: "a", at: Self.at, figure: 1.5), EncodedOnlyItem(name: "b", at: Self.at, figure: nil)]
        let shape = PageShape(items: .init(encoding: items), nextCursor: "c1.YQ")
        #expect(Self.text(try JSONWriter.document(capacity: 64) { shape.write(to: $0) }) == """
            {"items":[{"at":"2025-12-03T00:00:00Z","figure":1.5,"name":"a"},{"at":"2025-12-03T00:00:00Z","name":"b"}],\
            "next_cursor":"c1.YQ"}
            """)
        let refused = PageShape(items: .init(encoding: [EncodedOnlyItem(name: "x", at: Self.at, figure: .nan)]), nextCursor: nil)
        #expect(throws: JSONWriter.NonFiniteNumber.self) { try JSONWriter.document(capacity: 64) { refused.write(to: $0) } }
    }
}
