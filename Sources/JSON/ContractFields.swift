/// The members one contract object may have, as an enum whose raw values number them from 0:
/// the reader walks an object once and files each member under its field (`ObjectMembers`),
/// instead of scanning the object again for every name it asks for.
public protocol ContractFields: RawRepresentable where RawValue == Int {
    /// The member's name in the contract.
    var name: StaticString { get }
}

/// The members of one object filed by field: where each value sits in the tape, or nothing.
/// Inline storage (no allocation); with duplicate names the last one wins, as in most parsers.
public struct ObjectMembers<Field: ContractFields> {
    /// The object itself.
    public let object: JSONTape.Value
    /// A value's node index per field raw value, -1 for absent.
    @usableFromInline var slots = SIMD16<Int32>(repeating: -1)

    @inlinable public init(_ object: JSONTape.Value, in tape: JSONTape) {
        self.object = object
        tape.fileMembers(object, as: Field.self, into: &slots)
    }

    @inlinable public subscript(field: Field) -> JSONTape.Value? {
        let index = slots[field.rawValue]
        return index < 0 ? nil : JSONTape.Value(index: Int(index))
    }
}
