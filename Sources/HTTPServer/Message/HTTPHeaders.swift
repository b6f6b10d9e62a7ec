/// An ordered list of header fields. Lookup ignores ASCII case (RFC 9110 §5.1); repeated
/// fields are kept in order (RFC 9110 §5.2).
///
/// Stored in three parts, in this order: a parsed request's fields as the bytes that arrived
/// (``ReceivedFields``, turned into `String`s only for the value looked up), then fields added
/// as `String`s, then the last field added on its own. That last slot lets a middleware add a
/// field to a response shared by every request (a cached document) without copying its list.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    public typealias Field = (name: String, value: String)
    private var received: ReceivedFields?
    private var added: [StoredField]
    private var last: StoredField?

    public init() {
        added = []
    }

    public init(_ fields: [(String, String)]) {
        var stored: [StoredField] = []
        stored.reserveCapacity(fields.count + 1)
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

    public var count: Int { (received?.count ?? 0) + added.count + (last == nil ? 0 : 1) }
    public var isEmpty: Bool { count == 0 }

    /// The first value for `name`; setting replaces every field with that name.
    public subscript(name: String) -> String? {
        get {
            if let received, let index = received.firstIndex(named: name) { return received.value(at: index) }
            for field in added where field.name.equalsIgnoringASCIICase(name) { return field.value }
            if let last, last.name.equalsIgnoringASCIICase(name) { return last.value }
            return nil
        }
        set {
            remove(name)
            if let newValue { append(StoredField(name: name, value: newValue)) }
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
        if let last, last.name.equalsIgnoringASCIICase(name) { values.append(last.value) }
        return values
    }

    public func contains(_ name: String) -> Bool {
        received?.firstIndex(named: name) != nil || added.contains { $0.name.equalsIgnoringASCIICase(name) }
            || last?.name.equalsIgnoringASCIICase(name) == true
    }

    public mutating func add(name: String, value: String) {
        append(StoredField(name: name, value: value))
    }

    /// Adds a field whose name the caller knows to be a token (a constant); only the value is
    /// checked.
    mutating func add(tokenName name: String, value: String) {
        append(StoredField(name: name, value: value, isValid: value.withUTF8Bytes { $0.isFieldValue() }))
    }

    public mutating func remove(_ name: String) {
        if let received, received.firstIndex(named: name) != nil {
            // Editing what arrived: from here on every field is a String.
            added = received.storedFields + added
            self.received = nil
        }
        added.removeAll { $0.name.equalsIgnoringASCIICase(name) }
        if let last, last.name.equalsIgnoringASCIICase(name) { self.last = nil }
    }

    /// Every field, in order, as `String`s.
    var fields: [Field] {
        var all = received?.storedFields ?? []
        all += added
        if let last { all.append(last) }
        return all.map { ($0.name, $0.value) }
    }

    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    /// Names only, so logging headers never leaks credentials such as `Authorization`.
    public var description: String {
        var names: [String] = []
        received?.forEach { name, _ in names.append(String(decoding: name, as: UTF8.self)) }
        names += added.map(\.name)
        if let last { names.append(last.name) }
        return "HTTPHeaders(\(names.joined(separator: ", ")))"
    }

    private mutating func append(_ field: StoredField) {
        if let previous = last { added.append(previous) }
        last = field
    }
}

extension HTTPHeaders {
    /// Calls `body` with the name and value of each field that may be sent (see
    /// ``StoredField/isValid``; received fields passed the parser), as UTF-8, in order.
    func forEachValidField(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        received?.forEach(body)
        for index in added.indices where added[index].isValid {
            added[index].withUTF8(body)
        }
        if let last, last.isValid { last.withUTF8(body) }
    }

    /// At least the bytes of every `name: value` line with its CRLF, to size a serialisation
    /// before writing it.
    var serializedSizeLimit: Int {
        // A received line is `name:` OWS value OWS CRLF, so its section bytes plus one space cover it.
        var total = received.map { $0.sectionByteLimit + $0.count } ?? 0
        for field in added { total += field.name.utf8.count + field.value.utf8.count + 4 }
        if let last { total += last.name.utf8.count + last.value.utf8.count + 4 }
        return total
    }
}
