import Foundation
import HTTPServer

/// `GET /openapi.yaml`: the contract, served from the file the tests validate, read once at start.
struct SpecRoutes: Sendable {
    /// Found beside the working directory (`make run`, the Docker image's /app) or from
    /// READINESS_OPENAPI_PATH.
    static let specification: [UInt8]? = {
        let path = ProcessInfo.processInfo.environment["READINESS_OPENAPI_PATH"] ?? "openapi/openapi.yaml"
        let candidates = [URL(fileURLWithPath: path), Self.sourceTreeSpec]
        return candidates.lazy.compactMap { try? Data(contentsOf: $0) }.first.map(Array.init)
    }()

    /// The checkout this binary was built from: tests and `swift run` from another directory.
    private static var sourceTreeSpec: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("openapi/openapi.yaml")
    }

    func register(on router: inout Router) {
        router.get("/openapi.yaml") { _, _ in
            guard let body = Self.specification else {
                throw HTTPError(status: .notFound, detail: "the OpenAPI document is not installed with this server")
            }
            return HTTPResponse(status: .ok, headers: ["Content-Type": "application/yaml"], body: body)
        }
    }
}
