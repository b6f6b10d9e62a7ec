/// A five-character SQLSTATE code as sent by the server (PostgreSQL manual, Appendix A).
///
/// Callers match on the named constants (`error.sqlState == .uniqueViolation`) instead of
/// parsing message text, which is localised and never leaves this layer.
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// The two-character class ("23" for integrity constraint violations).
    public var errorClass: String { String(rawValue.prefix(2)) }

    // Class 08 — Connection Exception
    public static let connectionException = SQLState(rawValue: "08000")
    public static let connectionDoesNotExist = SQLState(rawValue: "08003")
    public static let connectionFailure = SQLState(rawValue: "08006")
    public static let sqlClientUnableToEstablishConnection = SQLState(rawValue: "08001")
    public static let sqlServerRejectedConnection = SQLState(rawValue: "08004")
    public static let protocolViolation = SQLState(rawValue: "08P01")

    // Class 22 — Data Exception
    public static let stringDataRightTruncation = SQLState(rawValue: "22001")
    public static let numericValueOutOfRange = SQLState(rawValue: "22003")
    public static let invalidDatetimeFormat = SQLState(rawValue: "22007")
    public static let datetimeFieldOverflow = SQLState(rawValue: "22008")
    public static let divisionByZero = SQLState(rawValue: "22012")
    public static let characterNotInRepertoire = SQLState(rawValue: "22021")
    public static let invalidTextRepresentation = SQLState(rawValue: "22P02")
    public static let untranslatableCharacter = SQLState(rawValue: "22P05")

    // Class 23 — Integrity Constraint Violation
    public static let integrityConstraintViolation = SQLState(rawValue: "23000")
    public static let notNullViolation = SQLState(rawValue: "23502")
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    public static let uniqueViolation = SQLState(rawValue: "23505")
    public static let checkViolation = SQLState(rawValue: "23514")
    public static let exclusionViolation = SQLState(rawValue: "23P01")

    // Class 25 — Invalid Transaction State
    public static let inFailedSQLTransaction = SQLState(rawValue: "25P02")

    // Class 40 — Transaction Rollback
    public static let transactionRollback = SQLState(rawValue: "40000")
    public static let serializationFailure = SQLState(rawValue: "40001")
    public static let deadlockDetected = SQLState(rawValue: "40P01")

    // Class 42 — Syntax Error or Access Rule Violation
    public static let syntaxError = SQLState(rawValue: "42601")
    public static let insufficientPrivilege = SQLState(rawValue: "42501")
    public static let undefinedColumn = SQLState(rawValue: "42703")
    public static let undefinedFunction = SQLState(rawValue: "42883")
    public static let undefinedTable = SQLState(rawValue: "42P01")
    public static let duplicateTable = SQLState(rawValue: "42P07")
    public static let duplicatePreparedStatement = SQLState(rawValue: "42P05")
    public static let undefinedPreparedStatement = SQLState(rawValue: "26000")

    // Class 53 — Insufficient Resources
    public static let tooManyConnections = SQLState(rawValue: "53300")

    // Class 55 — Object Not In Prerequisite State
    public static let lockNotAvailable = SQLState(rawValue: "55P03")

    // Class 57 — Operator Intervention
    public static let queryCanceled = SQLState(rawValue: "57014")
    public static let adminShutdown = SQLState(rawValue: "57P01")
    public static let crashShutdown = SQLState(rawValue: "57P02")
    public static let cannotConnectNow = SQLState(rawValue: "57P03")

    /// States after which the session is gone: the connection must be discarded, and the
    /// statement may be retried on a fresh connection if (and only if) it is idempotent.
    public var meansConnectionLost: Bool {
        errorClass == "08" || self == .adminShutdown || self == .crashShutdown || self == .cannotConnectNow
    }

    /// States where rerunning the whole transaction is the documented remedy
    /// (PostgreSQL manual, 13.2.3 "Serializable Isolation Level").
    public var meansTransactionShouldRetry: Bool {
        self == .serializationFailure || self == .deadlockDetected
    }
}
