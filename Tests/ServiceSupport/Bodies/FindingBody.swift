/// The outcome of one policy rule, in a result's or a site's assessment.
public struct FindingBody: Decodable, Sendable {
    public let code: String
    public let kind: String
    public let status: String
    /// Only on the finding of the built-in `dns-resolution` rule.
    public let hosts: [String]?
    public let remediation: String
}
