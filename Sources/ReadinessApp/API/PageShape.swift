import Foundation
import JSON

/// `Page`'s members, declared once for every item type: a generic type cannot hold a
/// `static let`, so the list belongs to this non-generic view of a page, whose items carry
/// their own writer and their `Encodable` form.
struct PageShape: JSONObject {
    let items: Items
    let nextCursor: String?

    static let members: JSONMembers<PageShape> = [
        JSONMember("items", \.items),
        // null on the last page, never absent
        JSONMember("next_cursor", \.nextCursor),
    ]

    /// A page's items: an array, written by the items' writers, or given to `Encoder` as the
    /// array itself.
    struct Items: JSONMemberValue {
        private let writeArray: (JSONWriter) -> Void
        let encoded: Encoded

        /// Items that write themselves (the page is `JSONWritable`).
        init<Item: JSONWritable>(writing items: [Item]) {
            writeArray = { json in
                json.beginArray()
                for item in items { item.write(to: json) }
                json.endArray()
            }
            encoded = Encoded(items: items)
        }

        /// Items that only `Encoder` writes. `APIJSON` never asks their page for its writer
        /// (it is not `JSONWritable`); were it asked, it writes the encoder's bytes, and a
        /// figure the encoder refuses is flagged as the writer flags one.
        init<Item: Encodable>(encoding items: [Item]) {
            writeArray = { json in
                guard let bytes = try? APIJSON.encoder.encode(items) else { return json.double(.nan) }
                json.raw(Array(bytes))
            }
            encoded = Encoded(items: items)
        }

        func write(to json: JSONWriter) { writeArray(json) }

        /// The array as `Encoder` is given it.
        struct Encoded: Encodable {
            let items: any Encodable

            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(items)
            }
        }
    }
}
