/// The answer to a batch upload (`POST /v1/results` with `results`): one outcome per result,
/// in request order.
public struct UploadBatchBody: Decodable, Sendable {
    public let results: [UploadOutcomeBody]
}
