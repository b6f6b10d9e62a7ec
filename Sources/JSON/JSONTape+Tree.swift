/// Conversions between a tape and a `JSONValue` tree: the tree for callers that keep or edit a
/// document (`JSONParser`), the tape for a tree that must be validated as an upload (the
/// evaluate request carries its result inside a larger document).
extension JSONTape {
    package func tree(_ value: Value) -> JSONValue {
        let node = nodes[value.index]
        switch node.kind {
        case .null: return .null
        case .bool: return .bool(node.start != 0)
        case .number: return .number(node.number)
        case .rawString, .unescapedString: return .string(string(value))
        case .array: return .array(elements(value).map(tree))
        case .object:
            var members: [(key: String, value: JSONValue)] = []
            members.reserveCapacity(Int(node.count))
            var index = value.index + 1
            for _ in 0..<node.count {
                members.append((string(Value(index: index)), tree(Value(index: index + 1))))
                index = Int(nodes[index + 1].end)
            }
            return .object(members)
        }
    }

    /// The tape of `tree`, every string held as text (there are no input bytes to point into).
    package init(_ tree: JSONValue) {
        self.init(bytes: [])
        append(tree)
    }

    private mutating func append(_ tree: JSONValue) {
        let next = Int32(nodes.count + 1)
        switch tree {
        case .null: _ = append(Node(kind: .null, end: next))
        case let .bool(flag): _ = append(Node(kind: .bool, start: flag ? 1 : 0, end: next))
        case let .number(number): _ = append(Node(kind: .number, end: next, number: number))
        case let .string(text): appendUnescaped(text)
        case let .array(elements):
            let array = append(Node(kind: .array))
            for element in elements { append(element) }
            close(array, count: elements.count)
        case let .object(members):
            let object = append(Node(kind: .object))
            for member in members {
                appendUnescaped(member.key)
                append(member.value)
            }
            close(object, count: members.count)
        }
    }
}
