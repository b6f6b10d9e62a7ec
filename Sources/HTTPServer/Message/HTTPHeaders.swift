/// An ordered list of header fields. Lookup ignores ASCII case (RFC 9110 §5.1); repeated
/// fields are kept in order (RFC 9110 §5.2).
///
/// A parsed request's fields stay as the bytes that arrived (``ReceivedFields``) until a
/// handler edits them; lookups read those bytes and build a `String` for the value found only.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    public typealias Field = (name: String, value: String)
    /// Fields as received, in order, before every field in `added`.
    private var received: ReceivedFields?
    private var added: [StoredField]

    /// A field as `String`s. A struct rather than the public tuple: the runtime copies and
    /// destroys an array of tuples element by element through generic tuple witnesses.
    struct StoredField {
        var name: String
        var value: String
        /// A token name and a value without CR, LF or other controls (RFC 9110 §5.5), so it
        /// cannot split a response. Decided once, when the field is added: a response built
        /// once and sent many times is not validated per request.
        var isValid: Bool

        init(name: String, value: String) {
            self.name = name
            self.value = value
            isValid = name.withUTF8Bytes { $0.isToken() } && value.withUTF8Bytes { $0.isFieldValue() }
        }

        /// A field already validated (by the parser, or built from checked parts).
        init(name: String, value: String, isValid: Bool) {
            self.name = name
            self.value = value
            self.isValid = isValid
        }
    }

    public init() {
        added = []
    }

    public init(_ fields: [(String, String)]) {
        // Room for the fields the server's middleware add (request id), so a response built
        // from a literal is not reallocated on the way out.
        var stored: [StoredField] = []
        stored.reserveCapacity(fields.count + 2)
        for (name, value) in fields { stored.append(StoredField(name: name, value: value)) }
        added = stored
    }

    /// The parser's fields, still bytes.
    init(received: ReceivedFields) {
        self.received = received.count > 0 ? received : nil
        added = []
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public var count: Int { (received?.count ?? 0) + added.count }
    public var isEmpty: Bool { count == 0 }

    /// The first value for `name`; setting replaces every field with that name.
    public subscript(name: String) -> String? {
        get {
            if let received, let index = received.firstIndex(named: name) { return received.value(at: index) }
            for field in added where field.name.equalsIgnoringASCIICase(name) { return field.value }
            return nil
        }
        set {
            remove(name)
            if let newValue { added.append(StoredField(name: name, value: newValue)) }
        }
    }

    /// Every value for `name`, in the order received.
    public func values(for name: String) -> [String] {
        var values: [String] = []
        if let received {
            var next = received.firstIndex(named: name)
            while let index = next {
                values.append(received.value(at: index))
                next = received.firstIndex(named: name, from: index + 1)
            }
        }
        for field in added where field.name.equalsIgnoringASCIICase(name) { values.append(field.value) }
        return values
    }

    public func contains(_ name: String) -> Bool {
        received?.firstIndex(named: name) != nil || added.contains { $0.name.equalsIgnoringASCIICase(name) }
    }

    public mutating func add(name: String, value: String) {
        added.append(StoredField(name: name, value: value))
    }

    /// Adds a field whose name the caller knows to be a token (a constant); only the value is
    /// checked.
    mutating func add(tokenName name: String, value: String) {
        added.append(StoredField(name: name, value: value, isValid: value.withUTF8Bytes { $0.isFieldValue() }))
    }

    public mutating func remove(_ name: String) {
        if let received, received.firstIndex(named: name) != nil {
            // Editing what arrived: from here on every field is a String.
            added = received.storedFields + added
            self.received = nil
        }
        added.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// Every field, in order, as `String`s.
    var fields: [Field] {
        (received?.storedFields ?? []).map { ($0.name, $0.value) } + added.map { ($0.name, $0.value) }
    }

    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    /// Calls `body` with the name and value of each field that may be sent (see
    /// ``StoredField/isValid``; received fields passed the parser), as UTF-8, in order.
    func forEachValidField(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        received?.forEach(body)
        for field in added where field.isValid {
            field.name.withUTF8Bytes { name in
                field.value.withUTF8Bytes { value in body(name, value) }
            }
        }
    }

    /// Bytes of every name and value together, to size a serialisation before writing it.
    var nameAndValueByteCount: Int {
        var total = 0
        if let received { received.forEach { name, value in total += name.count + value.count } }
        for field in added { total += field.name.utf8.count + field.value.utf8.count }
        return total
    }

    /// Names only, so logging headers never leaks credentials such as `Authorization`.
    public var description: String {
        var names: [String] = []
        received?.forEach { name, _ in names.append(String(decoding: name, as: UTF8.self)) }
        names += added.map(\.name)
        return "HTTPHeaders(\(names.joined(separator: ", ")))"
    }
}

extension String {
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let lhs = utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        return withUTF8Bytes { left in other.withUTF8Bytes { right in left.equalsIgnoringASCIICase(right) } }
    }

    /// Calls `body` with the string's UTF-8. Native strings (all of them on Linux) are read in
    /// place; only a bridged, non-contiguous one is copied first.
    @inline(__always)
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(body) ?? body(UnsafeBufferPointer(start: nil, count: 0))
    }
}

@inline(__always)
func asciiLowercase(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
}
