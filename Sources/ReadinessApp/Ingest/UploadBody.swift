import HTTPServer
import SystemCrypto

/// The bytes of an upload after its media type and content coding were checked: 415 for
/// anything but JSON or for a coding other than gzip/identity, 400 for a corrupt gzip stream,
/// 413 when the decompressed body exceeds the limit (the draft: "16 MiB, compressed and
/// decompressed").
enum UploadBody {
    static let limit = 16 * 1024 * 1024

    static func bytes(of request: HTTPRequest) throws -> [UInt8] {
        try RequestBody.requireJSON(request)
        // `request.body` is already an array: returning it shares its storage, no copy.
        guard let coding = request.headers["content-encoding"] else { return request.body }
        if HeaderToken.equalsTrimmed(coding, "identity") || HeaderToken.equalsTrimmed(coding, "") {
            return request.body
        }
        // RFC 9110 §8.4.1.3: x-gzip is equivalent to gzip.
        if HeaderToken.equalsTrimmed(coding, "gzip") || HeaderToken.equalsTrimmed(coding, "x-gzip") {
            do {
                return try Inflater.inflate(request.body, format: .gzip, limit: limit)
            } catch .tooLarge {
                throw HTTPError(
                    status: .contentTooLarge, detail: "the decompressed body exceeds the limit of \(limit) bytes",
                    problem: ProblemTypes.contentTooLarge)
            } catch {
                throw HTTPError(
                    status: .badRequest, detail: "the body is not a valid gzip stream",
                    problem: ProblemTypes.invalidRequest)
            }
        }
        throw HTTPError(
            status: .unsupportedMediaType, detail: "Content-Encoding must be gzip or identity",
            problem: ProblemTypes.unsupportedMediaType)
    }
}
