/// An RFC 9457 problem document as the API answers one, with the validation errors of a 422.
public struct ProblemBody: Decodable, Sendable, Equatable {
    public struct FieldError: Decodable, Sendable, Equatable {
        public let pointer: String
        public let detail: String?
    }

    public let type: String
    public let title: String
    public let status: Int
    public let detail: String?
    public let instance: String?
    public let errors: [FieldError]?

    /// The pointers of `errors`, in order (none when there are no errors).
    public var pointers: [String] { errors?.map(\.pointer) ?? [] }
}
