/// One change of a site's assessment (`GET /v1/sites/{id}/changes`). A verdict change has
/// null finding statuses; a finding change has null verdicts.
public struct ChangeBody: Decodable, Sendable {
    public let kind: String
    public let code: String
    @PresentOrNull public var status: String?
    /// Not required by the schema: absent and null both mean no earlier status.
    public let fromStatus: String?
    @PresentOrNull public var fromVerdict: String?
    @PresentOrNull public var toVerdict: String?
}
