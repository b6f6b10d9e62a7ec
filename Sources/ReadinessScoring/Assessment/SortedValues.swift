/// A rule's values over a window, in `KeyedValue` order, kept in blocks of a few dozen: an
/// insertion or removal moves the rest of one block, not half of a window of hundreds of runs
/// (one run in and one out per rule and group moved some 50 KB per site refresh as one array).
/// Positions are read by walking the blocks' counts, a handful per lookup.
struct SortedValues: Sendable {
    private var blocks: [[KeyedValue]] = []
    private(set) var count = 0

    /// A block past twice this size is split in two.
    static let blockSize = 64

    var isEmpty: Bool { count == 0 }

    /// The value at `position` in order (0-based; out of range traps, as an array's index does).
    subscript(position: Int) -> KeyedValue {
        var block = 0, rest = position
        while rest >= blocks[block].count {
            rest -= blocks[block].count
            block += 1
        }
        return blocks[block][rest]
    }

    mutating func insert(_ value: KeyedValue) {
        guard !blocks.isEmpty else {
            blocks = [[value]]
            count = 1
            return
        }
        let block = self.block(for: value)
        blocks[block].insertSorted(value)
        count += 1
        if blocks[block].count > 2 * Self.blockSize {
            let upper = Array(blocks[block][Self.blockSize...])
            blocks[block].removeSubrange(Self.blockSize...)
            blocks.insert(upper, at: block + 1)
        }
    }

    /// Removes the entry of `value`'s run, if held.
    mutating func remove(_ value: KeyedValue) {
        guard !blocks.isEmpty else { return }
        let block = self.block(for: value)
        let before = blocks[block].count
        blocks[block].removeSorted(value)
        guard blocks[block].count < before else { return }
        count -= 1
        if blocks[block].isEmpty { blocks.remove(at: block) }
    }

    /// The block `value` sorts into: the first whose last entry does not sort before it, else the last.
    private func block(for value: KeyedValue) -> Int {
        for index in blocks.indices where !(blocks[index][blocks[index].count - 1] < value) { return index }
        return blocks.count - 1
    }
}
