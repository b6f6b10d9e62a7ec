import Foundation
import Testing
import ReadinessApp
import ReadinessServiceTestSupport

/// `openapi/openapi.yaml` is the contract clients code against: every documented operation
/// must be routed, every routed operation documented, and every operation that names a scope
/// must refuse a request without a token.
@Suite struct SpecCoverageTests {
    struct Operation: Hashable, CustomStringConvertible {
        let method: String
        let path: String
        var description: String { "\(method) \(path)" }
    }

    static var specURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("openapi/openapi.yaml")
    }

    /// The document is written by a YAML emitter with fixed indentation: paths at two spaces,
    /// methods at four, operation members at six. That shape is all this reads.
    static func documentedOperations() throws -> [Operation: String] {
        let text = try String(contentsOf: specURL, encoding: .utf8)
        var operations: [Operation: String] = [:]
        var inPaths = false
        var path: String?
        var current: Operation?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, !line.hasPrefix(" "), !line.isEmpty { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method) {
                    current = Operation(method: method, path: path)
                    operations[current!] = "none"
                } else {
                    current = nil
                }
            } else if let operation = current, line.hasPrefix("      x-required-scope: ") {
                operations[operation] = String(line.dropFirst("      x-required-scope: ".count))
            }
        }
        return operations
    }

    @Test func everyDocumentedOperationIsRoutedAndEveryRouteDocumented() async throws {
        let documented = Set(try Self.documentedOperations().keys)
        #expect(documented.count > 20)
        try await LiveService.with { live in
            let routed = Set(live.service.routes.map { Operation(method: $0.method, path: $0.path) }
                .filter { $0.method != "HEAD" })
            #expect(routed.subtracting(documented).sorted { $0.description < $1.description } == [], "routed but not documented")
            #expect(documented.subtracting(routed).sorted { $0.description < $1.description } == [], "documented but not routed")
        }
    }

    @Test func everyOperationThatNamesAScopeRefusesAMissingToken() async throws {
        let operations = try Self.documentedOperations()
        try await LiveService.with { live in
            for (operation, scope) in operations.sorted(by: { $0.key.description < $1.key.description }) {
                #expect(["none", "read", "admin", "agent"].contains(scope), "\(operation) has scope \(scope)")
                guard scope != "none" else { continue }
                let path = operation.path
                    .replacingOccurrences(of: "{policy_name}", with: "sococo")
                    .replacingOccurrences(of: #"\{[a-z_]+\}"#, with: UUID().uuidString.lowercased(), options: .regularExpression)
                let body: Data? = ["POST", "PUT", "PATCH"].contains(operation.method) ? Data("{}".utf8) : nil
                let response = try await live.client.send(operation.method, path, body: body)
                #expect(response.status == 401, "\(operation) without a token answered \(response.status)")
                #expect(response.header("WWW-Authenticate")?.hasPrefix("Bearer") == true, "\(operation)")
            }
        }
    }
}
