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
        (base + position).update(from: source, count: bytes.count)
        position += bytes.count
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
