/// A request's header section as it arrived: the bytes, plus where each field's name and value
/// lie, in one allocation. Names and values become `String`s only when a handler asks for them.
///
/// Building a `String` per name and per value (each validated as UTF-8, and each value over 15
/// bytes a heap allocation) cost more than the rest of parsing; most fields are never read.
struct ReceivedFields: Sendable {
    /// `count` spans of four `UInt32` (name start, name end, value start, value end, relative to
    /// the section), then the section bytes.
    private let storage: [UInt8]
    let count: Int

    private static let spanSize = 4 * MemoryLayout<UInt32>.stride

    /// - Parameters:
    ///   - section: the field lines as received (validated by the parser).
    ///   - spans: four offsets into `section` per field, as described for `storage`.
    init(section: UnsafeBufferPointer<UInt8>, spans: UnsafeBufferPointer<UInt32>) {
        count = spans.count / 4
        let tableSize = count * Self.spanSize
        storage = [UInt8](unsafeUninitializedCapacity: tableSize + section.count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            if let spanBase = spans.baseAddress {
                UnsafeMutableRawPointer(base).copyMemory(from: spanBase, byteCount: tableSize)
            }
            if let sectionBase = section.baseAddress {
                (base + tableSize).update(from: sectionBase, count: section.count)
            }
            initialized = tableSize + section.count
        }
    }

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
    var fields: [HTTPHeaders.Field] {
        var result: [HTTPHeaders.Field] = []
        result.reserveCapacity(count + 2)
        forEach { name, value in
            result.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
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
}
