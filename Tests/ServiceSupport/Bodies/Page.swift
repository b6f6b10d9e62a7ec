/// One page of a cursor-paginated list (`Page` in the OpenAPI document): `next_cursor` is
/// always written, and null on the last page.
public struct Page<Item: Decodable & Sendable>: Decodable, Sendable {
    public let items: [Item]
    @PresentOrNull public var nextCursor: String?
}
