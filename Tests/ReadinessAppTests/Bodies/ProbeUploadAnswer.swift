/// The answer to `POST /v1/probe/upload`: how many bytes the service read.
struct ProbeUploadAnswer: Decodable {
    let bytes: Int
}
