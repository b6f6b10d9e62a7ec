
extension FieldReader {
    /// Records a fault for every string and member name under `value` that holds U+0000, which
    /// PostgreSQL text and jsonb cannot store. For documents stored whole (a policy), whose
    /// strings are not each read through ``string(_:at:lengths:nullable:)``.
    mutating func rejectNUL(in value: JSON, at pointer: String) {
        switch value {
        case .string(let text):
            if text.utf8.contains(0) { fault(pointer, Self.nulDetail) }
        case .array(let items):
            for (index, item) in items.enumerated() { rejectNUL(in: item, at: "\(pointer)/\(index)") }
        case .object(let members):
            for member in members {
                let memberPointer = pointer + ObjectBody.pointer(member.key)
                if member.key.utf8.contains(0) { fault(memberPointer, "is a member name with the NUL character (U+0000)") }
                rejectNUL(in: member.value, at: memberPointer)
            }
        case .null, .bool, .number:
            break
        }
    }

    static let nulDetail = "must not contain the NUL character (U+0000)"
}
