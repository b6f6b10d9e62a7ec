/// A SQL statement whose interpolated values are bound parameters, never SQL text.
///
/// ```swift
/// let query: PostgresQuery = "SELECT * FROM sites WHERE name = \(name) AND id > \(minID)"
/// // sql: "SELECT * FROM sites WHERE name = $1 AND id > $2", two typed parameters
/// ```
/// The only ways to put text into the SQL itself are spelled `unsafe` so they stand out
/// in review: `PostgresQuery(unsafeSQL:)` and `\(unsafeRaw: identifier)`.
/// (Design after postgres-nio's `PostgresQuery`.)
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public var sql: String
    public var bindings: PostgresBindings
    /// When set, the statement is prepared once per connection under this name (PQprepare)
    /// and executed with PQexecPrepared afterwards; use for hot queries.
    public var preparedName: String?

    /// Raw SQL with no parameters. Never build `sql` from untrusted input.
    public init(unsafeSQL sql: String, bindings: PostgresBindings = PostgresBindings()) {
        self.sql = sql
        self.bindings = bindings
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)  // a literal is written by the programmer, not the user
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, bindings: stringInterpolation.bindings)
    }

    /// The same query, prepared once per connection under `name` and reused.
    /// Use one name per SQL text; a name reused with different SQL is an error.
    public func prepared(as name: String) -> PostgresQuery {
        var copy = self
        copy.preparedName = name
        return copy
    }

    /// SQL and parameter types only: parameter values may be secrets and are never printed.
    public var description: String {
        "\(sql) [\(bindings.count) parameter(s)]"
    }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var sql: String
        var bindings: PostgresBindings

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            bindings = PostgresBindings(capacity: interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql.append(literal)
        }

        public mutating func appendInterpolation(_ value: some PostgresBindable) {
            bindings.append(value)
            sql.append("$\(bindings.count)")
        }

        /// `nil` binds SQL NULL.
        public mutating func appendInterpolation<Value: PostgresBindable>(_ value: Value?) {
            if let value {
                bindings.append(value)
            } else {
                bindings.appendNull(type: Value.postgresType)
            }
            sql.append("$\(bindings.count)")
        }

        /// Pastes `raw` into the SQL text. Only for identifiers the program controls
        /// (table names from code, never from a request).
        public mutating func appendInterpolation(unsafeRaw raw: String) {
            sql.append(raw)
        }
    }
}
