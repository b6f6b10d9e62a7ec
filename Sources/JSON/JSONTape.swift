/// A parsed JSON document as one flat array of nodes in document order (a "tape"), pointing
/// into the bytes it was parsed from: what the upload decoder validates.
///
/// A `JSONValue` tree costs an allocation per object, array and long string, and as much again
/// to free; member names were `String`s compared by Unicode rules. Here a document is three
/// arrays, names are compared as bytes, and a string becomes a `String` only when the contract
/// reader takes its value.
///
/// Layout: a container's node is followed by its children (an object's as name, value, name,
/// value…), each subtree ending where `Node.end` says, so a reader skips a value in one step.
public struct JSONTape {
    public enum Kind: UInt8 {
        case null, bool, number, array, object
        /// Bytes `start..<start+count` of the input, with no escapes: the string as it arrived.
        case rawString
        /// Had escapes: `unescaped[start]`.
        case unescapedString
    }

    public struct Node {
        public var kind: Kind
        /// A raw string's first byte, an unescaped string's index in `unescaped`, a bool's value (0/1).
        public var start: Int32 = 0
        /// A raw string's length in bytes; the elements of an array or the members of an object.
        public var count: Int32 = 0
        /// The index of the node after this value and everything inside it.
        public var end: Int32 = 0
        public var number: Double = 0
    }

    /// A value in the tape, by index.
    public struct Value: Equatable {
        public let index: Int

        @inlinable public init(index: Int) { self.index = index }
    }

    // Read by the inlinable accessors below. The contract reader in another module calls them
    // per member; only inlined (and, for `fileMembers`, specialized) do they cost what they did
    // when the tape lived in the contract's module: bench-domain decoding ran at half the speed.
    // They are `public`, not `package`, because Swift 6.3 does not inline or specialize a
    // `package` type's `@inlinable` members in another module (checked with a two-module package).
    @usableFromInline private(set) var nodes: [Node] = []
    @usableFromInline private(set) var unescaped: [String] = []
    public let bytes: [UInt8]

    package init(bytes: [UInt8]) {
        self.bytes = bytes
        // About one node per eight bytes of a typical upload: one allocation, no doubling.
        nodes.reserveCapacity(bytes.count / 8 + 4)
    }

    @inlinable public var root: Value { Value(index: 0) }

    @inlinable public func kind(_ value: Value) -> Kind { nodes[value.index].kind }

    /// The JSON type name used in validation messages.
    @inlinable public func typeName(_ value: Value) -> String {
        switch nodes[value.index].kind {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .rawString, .unescapedString: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    @inlinable public func isString(_ value: Value) -> Bool {
        let kind = nodes[value.index].kind
        return kind == .rawString || kind == .unescapedString
    }

    /// The string at `value`, which must be a string; invalid UTF-8 is repaired as
    /// `String(decoding:as:)` does.
    @inlinable public func string(_ value: Value) -> String {
        let node = nodes[value.index]
        if node.kind == .unescapedString { return unescaped[Int(node.start)] }
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(node.start)..<Int(node.start + node.count)]), as: UTF8.self)
        }
    }

    /// `body` over a string's bytes as they arrived; nil for a string that had escapes.
    @inlinable public func withRawBytes<T>(_ value: Value, _ body: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        let node = nodes[value.index]
        guard node.kind == .rawString else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[Int(node.start)..<Int(node.start + node.count)]))
        }
    }

    @inlinable public func bool(_ value: Value) -> Bool { nodes[value.index].start != 0 }

    @inlinable public func number(_ value: Value) -> Double { nodes[value.index].number }

    /// The elements of the array at `value`, in order.
    @inlinable public func elements(_ value: Value) -> [Value] {
        let node = nodes[value.index]
        var elements: [Value] = []
        elements.reserveCapacity(Int(node.count))
        var index = value.index + 1
        for _ in 0..<node.count {
            elements.append(Value(index: index))
            index = Int(nodes[index].end)
        }
        return elements
    }

    /// The member of the object at `object` named `name`; with duplicate names the last one
    /// wins, as in most parsers. nil when `object` is not an object.
    @inlinable public func member(_ object: Value, _ name: StaticString) -> Value? {
        // One scan of the object; the contract reader files members in one walk instead
        // (`fileMembers`), this serves the one question asked before it: is the root a batch.
        nodes.withUnsafeBufferPointer { nodes in
            let node = nodes[object.index]
            guard node.kind == .object else { return nil }
            return name.withUTF8Buffer { name in
                bytes.withUnsafeBufferPointer { buffer in
                    var found: Value?
                    var index = object.index + 1
                    for _ in 0..<node.count {
                        let key = nodes[index]
                        if key.kind == .rawString {
                            if Int(key.count) == name.count, Self.equal(buffer, at: Int(key.start), name) {
                                found = Value(index: index + 1)
                            }
                        } else if unescaped[Int(key.start)].utf8.elementsEqual(name) {
                            found = Value(index: index + 1)
                        }
                        index = Int(nodes[index + 1].end)
                    }
                    return found
                }
            }
        }
    }

    /// Where each member of the object at `object` sits, filed under its field in `slots`
    /// (by raw value; members the contract does not name are skipped), in one walk over the
    /// object. With duplicate names the last one wins, as in most parsers.
    @inlinable public func fileMembers<F: ContractFields>(_ object: Value, as fields: F.Type, into slots: inout SIMD16<Int32>) {
        nodes.withUnsafeBufferPointer { nodes in
            bytes.withUnsafeBufferPointer { bytes in
                let node = nodes[object.index]
                guard node.kind == .object else { return }
                var index = object.index + 1
                for _ in 0..<node.count {
                    let key = nodes[index]
                    var raw = 0
                    while let field = F(rawValue: raw) {
                        let matched = field.name.withUTF8Buffer { name in
                            if key.kind == .rawString {
                                return Int(key.count) == name.count && Self.equal(bytes, at: Int(key.start), name)
                            }
                            return unescaped[Int(key.start)].utf8.elementsEqual(name)
                        }
                        if matched {
                            slots[raw] = Int32(index + 1)
                            break
                        }
                        raw += 1
                    }
                    index = Int(nodes[index + 1].end)
                }
            }
        }
    }

    /// `body` with each element of the array at `array` and its position, in order, without
    /// gathering them into an array first.
    @inlinable public func forEachElement(_ array: Value, _ body: (Int, Value) -> Void) {
        let node = nodes[array.index]
        var index = array.index + 1
        for position in 0..<Int(node.count) {
            body(position, Value(index: index))
            index = Int(nodes[index].end)
        }
    }

    /// How many elements the array at `array` holds.
    @inlinable public func count(_ array: Value) -> Int { Int(nodes[array.index].count) }

    @inlinable @inline(__always)
    static func equal(_ buffer: UnsafeBufferPointer<UInt8>, at start: Int, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        var offset = 0
        // Eight bytes to a compare: most contract names are longer than four.
        if let left = buffer.baseAddress, let right = name.baseAddress {
            while offset + 8 <= name.count {
                if UnsafeRawPointer(left + start + offset).loadUnaligned(as: UInt64.self)
                    != UnsafeRawPointer(right + offset).loadUnaligned(as: UInt64.self) { return false }
                offset += 8
            }
        }
        while offset < name.count {
            if buffer[start + offset] != name[offset] { return false }
            offset += 1
        }
        return true
    }

    // MARK: building

    package mutating func append(_ node: Node) -> Int {
        nodes.append(node)
        return nodes.count - 1
    }

    package mutating func appendUnescaped(_ string: String) {
        unescaped.append(string)
        nodes.append(Node(kind: .unescapedString, start: Int32(unescaped.count - 1), end: Int32(nodes.count + 1)))
    }

    /// Closes the container opened at `index`: its child count and where it ends.
    package mutating func close(_ index: Int, count: Int) {
        nodes[index].count = Int32(count)
        nodes[index].end = Int32(nodes.count)
    }
}
