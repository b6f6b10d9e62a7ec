/// The parameters of a query: a type OID and the text form (or NULL) of each `$n`.
public struct PostgresBindings: Sendable, Hashable {
    struct Value: Sendable, Hashable {
        var type: PostgresDataType
        var text: String?
    }

    private(set) var values: [Value] = []

    public init() {}

    init(capacity: Int) {
        values.reserveCapacity(capacity)
    }

    public var count: Int { values.count }

    public mutating func append(_ value: some PostgresEncodable) {
        values.append(Value(type: type(of: value).postgresType, text: value.postgresText()))
    }

    public mutating func appendNull(type: PostgresDataType = .unspecified) {
        values.append(Value(type: type, text: nil))
    }

    /// The protocol's parameter count is an Int16 (PostgreSQL manual, 55.7 "Bind").
    static let maximumCount = Int(UInt16.max)

    /// Checks what the server cannot accept, before anything is sent.
    func validate() throws(PostgresError) {
        if values.count > Self.maximumCount {
            throw .encoding("too many parameters (\(values.count), at most \(Self.maximumCount))")
        }
        for (index, value) in values.enumerated() {
            // libpq sends text parameters as C strings, and PostgreSQL text cannot hold
            // U+0000 at all; refusing here keeps a NUL from silently truncating a value.
            if let text = value.text, text.utf8.contains(0) {
                throw .encoding("parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot store")
            }
        }
    }
}
