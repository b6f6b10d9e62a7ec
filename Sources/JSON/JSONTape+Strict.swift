/// What I-JSON (RFC 7493) asks beyond RFC 8259 that the parser checks on the tape, and the
/// pointers (RFC 6901) that name where a check failed.
extension JSONTape {
    /// Objects with more members than this are checked through a set; smaller ones pair by
    /// pair, which allocates nothing (the contract's largest object has 12 members).
    private static let pairwiseLimit = 16

    /// The name node of the first member of the (closed) object at `object` whose name an
    /// earlier member of the same object already has. Names compare by their text, so `"a"`
    /// and `"\u0061"` are the same name (RFC 7493 §2.3: "names ... MUST be unique").
    package func repeatedName(inObjectAt object: Int) -> Int? {
        let count = Int(nodes[object].count)
        guard count > 1 else { return nil }
        if count > Self.pairwiseLimit {
            var seen = Set<[UInt8]>(minimumCapacity: count)
            var name = object + 1
            for _ in 0..<count {
                if !seen.insert(nameBytes(name)).inserted { return name }
                name = Int(nodes[name + 1].end)
            }
            return nil
        }
        var later = Int(nodes[object + 2].end)
        for _ in 1..<count {
            var earlier = object + 1
            while earlier != later {
                if sameName(earlier, later) { return later }
                earlier = Int(nodes[earlier + 1].end)
            }
            later = Int(nodes[later + 1].end)
        }
        return nil
    }

    /// Where a string that arrived without escapes starts in the input; nil for one with escapes.
    package func rawStringOffset(_ node: Int) -> Int? {
        nodes[node].kind == .rawString ? Int(nodes[node].start) : nil
    }

    /// The first string, member names included, that holds U+0000 (only a `\u0000` escape can
    /// put it there: the parser refuses a raw control byte). PostgreSQL text and jsonb cannot
    /// store it.
    package func firstStringHoldingNUL() -> Int? {
        for (index, node) in nodes.enumerated() where node.kind == .unescapedString {
            if unescaped[Int(node.start)].utf8.contains(0) { return index }
        }
        return nil
    }

    /// The JSON pointer of the value at node `target`; for a member name, the pointer of its
    /// member. Walks down from the root, skipping whole subtrees by their `end`.
    package func pointer(to target: Int) -> String {
        var pointer = ""
        var container = 0
        while container != target {
            let node = nodes[container]
            var child = container + 1
            var next: Int?
            switch node.kind {
            case .object:
                for _ in 0..<node.count {
                    let name = string(Value(index: child))
                    if target == child { return JSONPointer.appending(pointer, name) }
                    let end = Int(nodes[child + 1].end)
                    if target < end {
                        pointer = JSONPointer.appending(pointer, name)
                        next = child + 1
                        break
                    }
                    child = end
                }
            case .array:
                for position in 0..<Int(node.count) {
                    let end = Int(nodes[child].end)
                    if target < end {
                        pointer = JSONPointer.appending(pointer, position)
                        next = child
                        break
                    }
                    child = end
                }
            default:
                break
            }
            guard let next else { return pointer }
            container = next
        }
        return pointer
    }

    private func sameName(_ left: Int, _ right: Int) -> Bool {
        let a = nodes[left], b = nodes[right]
        if a.kind == .rawString, b.kind == .rawString {
            guard a.count == b.count else { return false }
            return bytes.withUnsafeBufferPointer { buffer in
                buffer[Int(a.start)..<Int(a.start + a.count)].elementsEqual(buffer[Int(b.start)..<Int(b.start + b.count)])
            }
        }
        return nameBytes(left) == nameBytes(right)
    }

    private func nameBytes(_ node: Int) -> [UInt8] {
        let name = nodes[node]
        if name.kind == .unescapedString { return Array(unescaped[Int(name.start)].utf8) }
        return Array(bytes[Int(name.start)..<Int(name.start + name.count)])
    }
}
