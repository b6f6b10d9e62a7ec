/// Stored data that refers to something the store cannot find: our fault, never the
/// request's (policy versions are never deleted), answered as 500 by `DatabaseErrors.translated`.
enum StoreError: Error, Sendable, Equatable {
    /// An assessment read conditionally on its tag came back empty with nothing cached.
    case assessmentNotRead
    /// The policy version a stored assessment or result names.
    case policyVersionMissing(of: StoredKind)
    /// The policy a site names.
    case sitePolicyMissing
    /// A statement's rows do not have the shape the code that reads them relies on (a preview
    /// batch's arrays of unequal length): a broken invariant, never the caller's fault.
    case unexpectedRows(String)

    enum StoredKind: Sendable, Equatable {
        case assessment
        case result
    }

    /// What the 500 says (no stored text: the names are ours).
    var detail: String {
        switch self {
        case .assessmentNotRead: "the stored assessment was not read"
        case .policyVersionMissing(of: .assessment): "the assessment's policy version is not available"
        case .policyVersionMissing(of: .result): "the result's policy version is not available"
        case .sitePolicyMissing: "the site's policy is not available"
        case .unexpectedRows: "stored rows were not of the expected shape"
        }
    }
}
