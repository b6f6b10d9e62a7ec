/// A PostgreSQL type OID (`SELECT oid, typname FROM pg_type`). Parameters are sent with an
/// explicit OID so the server never has to guess (an untyped `$1` compared with `text` and
/// `int` would otherwise be resolved from context, sometimes surprisingly).
public struct PostgresDataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let bool = PostgresDataType(rawValue: 16)
    public static let bytea = PostgresDataType(rawValue: 17)
    public static let int8 = PostgresDataType(rawValue: 20)
    public static let int2 = PostgresDataType(rawValue: 21)
    public static let int4 = PostgresDataType(rawValue: 23)
    public static let text = PostgresDataType(rawValue: 25)
    public static let oid = PostgresDataType(rawValue: 26)
    public static let json = PostgresDataType(rawValue: 114)
    public static let float4 = PostgresDataType(rawValue: 700)
    public static let float8 = PostgresDataType(rawValue: 701)
    public static let varchar = PostgresDataType(rawValue: 1043)
    public static let timestamp = PostgresDataType(rawValue: 1114)
    public static let timestamptz = PostgresDataType(rawValue: 1184)
    public static let numeric = PostgresDataType(rawValue: 1700)
    public static let uuid = PostgresDataType(rawValue: 2950)
    public static let jsonb = PostgresDataType(rawValue: 3802)
    public static let textArray = PostgresDataType(rawValue: 1009)
    public static let byteaArray = PostgresDataType(rawValue: 1001)
    public static let int4Array = PostgresDataType(rawValue: 1007)
    public static let int8Array = PostgresDataType(rawValue: 1016)
    public static let float8Array = PostgresDataType(rawValue: 1022)
    public static let timestamptzArray = PostgresDataType(rawValue: 1185)
    public static let uuidArray = PostgresDataType(rawValue: 2951)
    public static let jsonArray = PostgresDataType(rawValue: 199)
    public static let jsonbArray = PostgresDataType(rawValue: 3807)
    /// Lets the server infer the type; used for NULL.
    public static let unspecified = PostgresDataType(rawValue: 0)

    public var description: String { "oid \(rawValue)" }
}
