/// A site that does not exist for the caller: missing, malformed in the path, or not its own
/// (an agent token asking about another site). Answered as 404 by `DatabaseErrors.translated`.
struct SiteNotFound: Error, Sendable {
    /// The id as the request gave it, named in the answer (at most 64 characters of it).
    let idText: String?

    init(_ idText: String?) {
        self.idText = idText
    }
}
