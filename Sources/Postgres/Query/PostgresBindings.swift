import Foundation

/// The parameters of a query: for each `$n` a type OID, a format, and its bytes (or NULL).
///
/// Every value's bytes live in one contiguous buffer, each followed by a NUL (libpq reads a
/// text value as a C string in place; after a binary one it keeps even an empty value's
/// pointer inside the buffer, as libpq takes a null pointer for SQL NULL). Binding a parameter
/// is one append, and sending the query copies nothing more on this side. A value that holds
/// its whole encoding already (a built array, binary) keeps it: its buffer is shared, not
/// copied, so a group statement's hundred kilobytes of bodies do not grow the shared buffer.
public struct PostgresBindings: Sendable, Hashable {
    struct Slot: Sendable, Hashable {
        var type: PostgresDataType
        var format: PostgresFormat
        /// The buffer the bytes are in: -1 for the shared one, else an index into `owned`.
        var source: Int = -1
        var offset: Int
        /// Bytes of the value, without its terminator; -1 is SQL NULL.
        var length: Int

        var isNull: Bool { length < 0 }
    }

    private(set) var slots: [Slot] = []
    private(set) var buffer: [UInt8] = []
    /// Whole encodings bound as they are (binary format only: libpq reads binary values by
    /// length, so they need no terminator).
    private(set) var owned: [[UInt8]] = []
    /// The first value that could not be encoded, reported by `validate` (interpolation
    /// cannot throw).
    private var encodingFailure: String?

    public init() {}

    init(capacity: Int) {
        slots.reserveCapacity(capacity)
    }

    public var count: Int { slots.count }

    public mutating func append(_ value: some PostgresBindable) {
        let type = type(of: value)
        // A value that fails to encode falls through, for `encodePostgres` to report it.
        if type.postgresFormat == .binary, let whole = try? value.encodedPostgresBuffer() {
            owned.append(whole)
            slots.append(Slot(type: type.postgresType, format: .binary, source: owned.count - 1, offset: 0, length: whole.count))
            return
        }
        let offset = buffer.count
        do {
            try value.encodePostgres(into: &buffer)
        } catch {
            buffer.removeSubrange(offset...)
            if encodingFailure == nil { encodingFailure = "parameter $\(slots.count + 1): \(error.reason)" }
        }
        let length = buffer.count - offset
        buffer.append(0)
        slots.append(Slot(type: type.postgresType, format: type.postgresFormat, offset: offset, length: length))
    }

    public mutating func appendNull(type: PostgresDataType = .unspecified) {
        slots.append(Slot(type: type, format: .text, offset: buffer.count, length: -1))
    }

    /// The protocol's parameter count is an Int16 (PostgreSQL manual, 55.7 "Bind").
    static let maximumCount = Int(UInt16.max)

    /// Checks what the server cannot accept, before anything is sent.
    func validate() throws(PostgresError) {
        if let encodingFailure { throw .encoding(encodingFailure) }
        if slots.count > Self.maximumCount {
            throw .encoding("too many parameters (\(slots.count), at most \(Self.maximumCount))")
        }
        if slots.contains(where: { $0.length > Int(Int32.max) }) {
            throw .encoding("a parameter is larger than the protocol's 2 GiB limit")
        }
        for (index, slot) in slots.enumerated() where slot.format == .text && !slot.isNull {
            // libpq sends text parameters as C strings, and PostgreSQL text cannot hold
            // U+0000 at all; refusing here keeps a NUL from silently truncating a value.
            if Self.containsNUL(slot.source < 0 ? buffer : owned[slot.source], from: slot.offset, count: slot.length) {
                throw .nulInText("parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot store")
            }
        }
    }

    /// `memchr`: a word at a time, where a byte loop over a 20 KB document showed in profiles.
    static func containsNUL(_ bytes: [UInt8], from offset: Int, count: Int) -> Bool {
        guard count > 0 else { return false }
        return bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return false }
            return memchr(base + offset, 0, count) != nil
        }
    }

    /// Bytes bound, over every buffer.
    public var byteCount: Int { owned.reduce(buffer.count) { $0 + $1.count } }

    /// Calls `body` with what libpq takes for the parameters: their count, and for each its
    /// type OID, its value (a pointer into the buffers, nil for NULL), its length and its
    /// format. The pointers do not outlive the call; the small arrays are on the stack.
    func withParameters<T>(
        _ body: (Int32, UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> T
    ) -> T {
        let count = slots.count
        return withUnsafeTemporaryAllocation(of: UnsafeRawPointer?.self, capacity: owned.count + 1) { bases in
            withBasesPinned(from: 0, into: bases) {
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count) { types in
                    withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: count) { values in
                        withUnsafeTemporaryAllocation(of: Int32.self, capacity: count) { lengths in
                            withUnsafeTemporaryAllocation(of: Int32.self, capacity: count) { formats in
                                for (index, slot) in slots.enumerated() {
                                    types[index] = slot.type.rawValue
                                    lengths[index] = Int32(max(0, slot.length))
                                    formats[index] = slot.format.rawValue
                                    let base = bases[slot.source < 0 ? owned.count : slot.source]
                                    values[index] = slot.isNull ? nil : base.map { ($0 + slot.offset).assumingMemoryBound(to: CChar.self) }
                                }
                                return body(Int32(count), UnsafePointer(types.baseAddress), UnsafePointer(values.baseAddress),
                                            UnsafePointer(lengths.baseAddress), UnsafePointer(formats.baseAddress))
                            }
                        }
                    }
                }
            }
        }
    }

    /// Pins each owned buffer in turn (and then the shared one, last in `bases`) for the
    /// duration of `body`: one nested `withUnsafeBytes` per buffer, so every pointer is valid.
    private func withBasesPinned<T>(from index: Int, into bases: UnsafeMutableBufferPointer<UnsafeRawPointer?>, _ body: () -> T) -> T {
        guard index < owned.count else {
            return buffer.withUnsafeBytes { raw in
                bases[index] = raw.baseAddress
                return body()
            }
        }
        return owned[index].withUnsafeBytes { raw in
            bases[index] = raw.baseAddress
            return withBasesPinned(from: index + 1, into: bases, body)
        }
    }

    /// The value of parameter `index` (0-based) as text, or nil for NULL and binary values; for tests.
    func text(at index: Int) -> String? {
        let slot = slots[index]
        guard !slot.isNull, slot.format == .text else { return nil }
        return String(decoding: bytes(in: slot), as: UTF8.self)
    }

    /// The bytes of parameter `index` (0-based) in its format, or nil for NULL; for tests.
    func bytes(at index: Int) -> [UInt8]? {
        let slot = slots[index]
        guard !slot.isNull else { return nil }
        return Array(bytes(in: slot))
    }

    private func bytes(in slot: Slot) -> ArraySlice<UInt8> {
        (slot.source < 0 ? buffer : owned[slot.source])[slot.offset..<slot.offset + slot.length]
    }
}
