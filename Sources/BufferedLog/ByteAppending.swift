/// Where a log line's bytes go: a growable `[UInt8]` (any line), or a ``FixedLine`` in stack
/// memory (the access log's, which must not allocate). The formatting helpers are generic over
/// it, so both are written by the same code; the compiler specializes each use.
protocol ByteAppending {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteAppending where Element == UInt8 {}

extension ByteAppending {
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }
}

/// A line written into memory the caller owns, without allocating. Bytes past the capacity are
/// not written and the line is marked as overflowed: the caller then writes it again into an
/// array (a rare, long line: a path of kilobytes, say).
struct FixedLine: ByteAppending {
    private let memory: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0
    private(set) var overflowed = false

    init(_ memory: UnsafeMutableBufferPointer<UInt8>) {
        self.memory = memory
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        guard count < memory.count else { return overflowed = true }
        memory[count] = byte
        count += 1
    }

    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= memory.count - count else { return overflowed = true }
        guard let source = bytes.baseAddress, let target = memory.baseAddress else { return }
        (target + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(memory)[..<count]) }
}
