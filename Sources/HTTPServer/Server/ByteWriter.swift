/// Stores bytes through a pointer into room reserved beforehand (``ResponseHead`` sizes the
/// head first, then writes it without a capacity check and a call per piece).
struct ByteWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var position = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    @inline(__always)
    mutating func put(_ literal: StaticString) {
        put(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, let base = buffer.baseAddress else { return }
        assert(position + bytes.count <= buffer.count, "ByteWriter overran its reservation")
        let target = UnsafeMutableRawPointer(base + position)
        let count = bytes.count
        if count >= 8 && count <= 16 {
            // Names and short values: two (possibly overlapping) word moves instead of a call
            // to `memmove`, whose entry costs more than the copy.
            let from = UnsafeRawPointer(source)
            let head = from.loadUnaligned(as: UInt64.self)
            let tail = from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        } else {
            target.copyMemory(from: source, byteCount: count)
        }
        position += count
    }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        assert(position < buffer.count, "ByteWriter overran its reservation")
        buffer[position] = byte
        position += 1
    }

    /// Decimal digits of a non-negative value, without building a String.
    mutating func putDecimal(_ value: Int) {
        var remaining = max(0, value)
        var digits = 1
        var scale = 10
        while remaining >= scale, digits < 19 {
            digits += 1
            scale = scale &* 10
        }
        assert(position + digits <= buffer.count, "ByteWriter overran its reservation")
        var index = position + digits
        repeat {
            index -= 1
            buffer[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        } while remaining > 0
        position += digits
    }

    /// Forgets everything written since `mark` (a field found invalid after its name went out).
    mutating func rewind(to mark: Int) {
        position = mark
    }
}
