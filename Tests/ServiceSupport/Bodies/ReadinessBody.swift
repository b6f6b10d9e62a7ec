/// `GET /readyz`: the database answers, and what this replica's UDP reflector listens on.
public struct ReadinessBody: Decodable, Sendable {
    public struct Reflector: Decodable, Sendable {
        public let ports: [Int]
        public let unboundPorts: [Int]
        /// What is left untested; absent when nothing is.
        public let note: String?
    }

    public let status: String
    public let reflector: Reflector
}
