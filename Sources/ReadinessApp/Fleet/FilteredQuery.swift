import Postgres

/// A statement with a condition per value given, each value bound as a parameter.
struct FilteredQuery {
    private(set) var statement: PostgresQuery

    init(_ base: PostgresQuery) { statement = base }

    /// Adds ` AND condition` when `value` is given; `condition` gets the parameter (`$n`).
    mutating func and<Value: PostgresBindable>(_ value: Value?, _ condition: (String) -> String) {
        guard let value else { return }
        statement.bindings.append(value)
        statement.sql += " AND " + condition("$\(statement.bindings.count)")
    }

    /// `sql` followed by a parameter.
    mutating func append(_ sql: String, _ value: some PostgresBindable) {
        statement.bindings.append(value)
        statement.sql += sql + "$\(statement.bindings.count)"
    }
}
