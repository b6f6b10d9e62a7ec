import Foundation
import Testing
@testable import ReadinessApp

@Suite struct AuthTests {
    @Test func generatedTokensAreWellFormedDistinctAndHashTo32Bytes() throws {
        let first = try APIToken.generate()
        let second = try APIToken.generate()
        #expect(first != second)
        #expect(APIToken.isWellFormed(first))
        #expect(APIToken.hash(first).count == 32)
        #expect(APIToken.hash(first) != APIToken.hash(second))
        #expect(APIToken.constantTimeEqual(APIToken.hash(first), APIToken.hash(first)))
        #expect(!APIToken.constantTimeEqual(APIToken.hash(first), APIToken.hash(second)))
    }

    @Test(arguments: ["", "rdy_", "rdy_short", "xyz_" + String(repeating: "a", count: 43), "rdy_" + String(repeating: "!", count: 43)])
    func malformedTokensAreRefusedBeforeAnyLookup(token: String) {
        #expect(!APIToken.isWellFormed(token))
    }

    @Test(arguments: [
        (Scope.admin, Scope.admin, true), (.admin, .read, true), (.admin, .agent, false),
        (.read, .read, true), (.read, .admin, false), (.read, .agent, false),
        (.agent, .agent, true), (.agent, .read, false), (.agent, .admin, false),
    ])
    func scopesGrantWhatTheySay(held: Scope, required: Scope, granted: Bool) {
        #expect(held.grants(required) == granted)
    }

    @Test func specIsServedWithoutAToken() async throws {
        try await LiveService.with { live in
            let spec = try await live.client.get("/openapi.yaml")
            #expect(spec.status == 200)
            #expect(spec.header("Content-Type") == "application/yaml")
            #expect(spec.text.hasPrefix("openapi: 3.1"))
        }
    }
}
