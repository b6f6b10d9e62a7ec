import ReadinessContract
/// Everything wrong with a policy document, each fault named by JSON pointer
/// (e.g. `/rules/4/route/destinations/1`), so an administrator replacing a policy through
/// the API sees every mistake at once.
public struct PolicyValidationError: Error, Codable, Sendable, Equatable {
    public let faults: [ValidationFault]

    public init(faults: [ValidationFault]) {
        self.faults = faults
    }
}
