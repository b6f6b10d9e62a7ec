/// One thing wrong with an upload, named by JSON pointer (RFC 6901) so the API's problem
/// document (RFC 9457) can list every bad field at once.
public struct ValidationFault: Codable, Sendable, Equatable, Hashable {
    public let pointer: String
    public let message: String

    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }
}

/// Every fault found in an upload, in document order. Nothing of a failed upload is kept.
public struct ValidationFailure: Error, Codable, Sendable, Equatable {
    public let faults: [ValidationFault]

    public init(faults: [ValidationFault]) {
        self.faults = faults
    }
}
