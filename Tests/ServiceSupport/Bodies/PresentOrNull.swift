/// A member the API always writes, as `null` when it has no value (the schema lists it as
/// required and nullable). A plain optional property would also pass when the member is
/// missing; this one makes the decode fail then, so a test that reads `nil` knows the answer
/// said `null`.
@propertyWrapper
public struct PresentOrNull<Value: Decodable & Sendable>: Decodable, Sendable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    /// Called only for a member that is there: the synthesized decoding of a type that holds
    /// this wrapper asks for it with `decode`, not `decodeIfPresent`, so an absent key throws.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }
}
