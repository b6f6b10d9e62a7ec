/// A request's header section as it arrived: the bytes, plus where each field's name and value
/// lie, in one allocation. Names and values become `String`s only when a handler asks for them.
///
/// Building a `String` per name and per value (each validated as UTF-8, and each value over 15
/// bytes a heap allocation) cost more than the rest of parsing; most fields are never read.
struct ReceivedFields: Sendable {
    /// `count` spans of four `UInt32` (name start, name end, value start, value end, relative to
    /// the section), then the section bytes.
    private let storage: [Word]
    let count: Int

    /// 8-byte units, so the table's `UInt32`s are aligned.
    private struct Word {
        var bits: UInt64 = 0
    }

    private static let spanSize = 4 * MemoryLayout<UInt32>.stride

    /// - Parameters:
    ///   - section: the field lines as received (validated by the parser).
    ///   - spans: four offsets into `section` per field, as described for `storage`.
    init(section: UnsafeBufferPointer<UInt8>, spans: UnsafeBufferPointer<UInt32>) {
        count = spans.count / 4
        let tableSize = count * Self.spanSize
        let byteCount = tableSize + section.count
        // Reserved, zero-filled, then overwritten: `Array(repeating:count:)` and
        // `Array(unsafeUninitializedCapacity:)` reach the runtime's generic metadata lookup on
        // every call (about 500 instructions), where growing an empty array is specialised here.
        var storage: [Word] = []
        storage.reserveCapacity((byteCount + 7) / 8)
        storage.append(contentsOf: repeatElement(Word(), count: (byteCount + 7) / 8))
        storage.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            if let spanBase = spans.baseAddress {
                base.copyMemory(from: spanBase, byteCount: tableSize)
            }
            if let sectionBase = section.baseAddress {
                (base + tableSize).copyMemory(from: sectionBase, byteCount: section.count)
            }
        }
        self.storage = storage
    }

    /// At least the size of the section the fields were parsed from.
    var sectionByteLimit: Int { storage.count * MemoryLayout<Word>.stride - count * Self.spanSize }

    /// Calls `body` with the name and value bytes of field `index`.
    func withField<Result>(
        at index: Int, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        storage.withUnsafeBytes { raw in
            let (name, value) = Self.field(at: index, in: raw, count: count)
            return body(name, value)
        }
    }

    /// Calls `body` with every field's name and value bytes, in order.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        storage.withUnsafeBytes { raw in
            for index in 0..<count {
                let (name, value) = Self.field(at: index, in: raw, count: count)
                body(name, value)
            }
        }
    }

    /// The first field at or after `start` whose name matches `name`, ignoring ASCII case
    /// (RFC 9110 §5.1).
    func firstIndex(named name: String, from start: Int = 0) -> Int? {
        guard start < count else { return nil }
        return name.withUTF8Bytes { wanted in
            storage.withUnsafeBytes { raw in
                for index in start..<count where Self.field(at: index, in: raw, count: count).name.equalsIgnoringASCIICase(wanted) {
                    return index
                }
                return nil
            }
        }
    }

    func name(at index: Int) -> String {
        withField(at: index) { name, _ in String(decoding: name, as: UTF8.self) }
    }

    func value(at index: Int) -> String {
        withField(at: index) { _, value in String(decoding: value, as: UTF8.self) }
    }

    /// Every field as `String`s, for callers that iterate or edit the headers.
    var storedFields: [HTTPHeaders.StoredField] {
        var result: [HTTPHeaders.StoredField] = []
        result.reserveCapacity(count + 2)
        forEach { name, value in
            result.append(HTTPHeaders.StoredField(
                name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self),
                isValid: true))
        }
        return result
    }

    @inline(__always)
    private static func field(
        at index: Int, in raw: UnsafeRawBufferPointer, count: Int
    ) -> (name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        let span = index * spanSize
        let nameStart = Int(raw.loadUnaligned(fromByteOffset: span, as: UInt32.self))
        let nameEnd = Int(raw.loadUnaligned(fromByteOffset: span + 4, as: UInt32.self))
        let valueStart = Int(raw.loadUnaligned(fromByteOffset: span + 8, as: UInt32.self))
        let valueEnd = Int(raw.loadUnaligned(fromByteOffset: span + 12, as: UInt32.self))
        let section = UnsafeRawBufferPointer(rebasing: raw[(count * spanSize)...]).assumingMemoryBound(to: UInt8.self)
        return (UnsafeBufferPointer(rebasing: section[nameStart..<nameEnd]),
                UnsafeBufferPointer(rebasing: section[valueStart..<valueEnd]))
    }

    /// Collects spans while the parser walks the fields: on the caller's stack for a typical
    /// head, in an array beyond that.
    struct SpanList {
        /// 32 fields; 512 bytes, which `withUnsafeTemporaryAllocation` always places on the
        /// stack (a larger request may be given a heap block instead, per request).
        static let stackCapacity = 32 * 4
        private let stack: UnsafeMutableBufferPointer<UInt32>
        private var used = 0
        private var overflow: [UInt32] = []

        init(stack: UnsafeMutableBufferPointer<UInt32>) {
            self.stack = stack
        }

        mutating func append(name nameStart: Int, _ nameCount: Int, value valueStart: Int, _ valueCount: Int) {
            if used + 4 > stack.count, overflow.isEmpty {
                overflow.reserveCapacity(2 * stack.count)
                overflow.append(contentsOf: stack[0..<used])
            }
            store(nameStart)
            store(nameStart + nameCount)
            store(valueStart)
            store(valueStart + valueCount)
        }

        @inline(__always)
        private mutating func store(_ offset: Int) {
            let value = UInt32(truncatingIfNeeded: offset)
            if overflow.isEmpty {
                stack[used] = value
            } else {
                overflow.append(value)
            }
            used += 1
        }

        func withSpans<Result>(_ body: (UnsafeBufferPointer<UInt32>) -> Result) -> Result {
            if overflow.isEmpty { return body(UnsafeBufferPointer(rebasing: stack[0..<used])) }
            return overflow.withUnsafeBufferPointer(body)
        }
    }
}
