import Foundation
import Testing
import ReadinessApp
import ReadinessServiceTestSupport

/// Every operation that needs a token says so where its route is registered (`APIRouter`).
/// This walks the routes the running service actually registered, not the OpenAPI document,
/// so a route added later without a declared access fails here even before it is documented.
@Suite struct RouteAccessTests {
    /// The routes anyone may call: liveness and readiness, the problem type pages, the spec,
    /// and the WebSocket echo the gateway probe uses (it carries no data).
    static let openRoutes: Set<String> = [
        "GET /healthz", "GET /readyz", "GET /problems/{problem_type}", "GET /openapi.yaml", "GET /v1/probe/websocket",
    ]

    @Test func everyRegisteredRouteOutsideTheOpenListDemandsAToken() async throws {
        try await LiveService.with { live in
            let routes = live.service.routes.filter { $0.method != "HEAD" }
            #expect(routes.count > 30)
            let registered = Set(routes.map { "\($0.method) \($0.path)" })
            #expect(Self.openRoutes.subtracting(registered) == [], "open routes that are no longer registered")
            for route in routes where !Self.openRoutes.contains("\(route.method) \(route.path)") {
                // Values that would pass each parameter's own check, so only the token can refuse.
                let path = route.path
                    .replacingOccurrences(of: "{policy_name}", with: "sococo")
                    .replacingOccurrences(of: #"\{[a-z_]+\}"#, with: UUID().uuidString.lowercased(), options: .regularExpression)
                let body: Data? = ["POST", "PUT", "PATCH"].contains(route.method) ? Data("{}".utf8) : nil
                let response = try await live.client.send(route.method, path, body: body)
                let label = "\(route.method) \(route.path)"
                #expect(response.status == 401, "\(label) without a token answered \(response.status)")
                #expect(response.header("Content-Type") == "application/problem+json", "\(label)")
                #expect(try response.decoded(ProblemBody.self).status == 401, "\(label)")
                #expect(response.header("WWW-Authenticate") == #"Bearer realm="readiness""#, "\(label)")
            }
        }
    }
}
