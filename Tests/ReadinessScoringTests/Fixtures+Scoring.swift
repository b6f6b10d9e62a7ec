import Foundation
import ReadinessContractFixtures
@testable import ReadinessScoring

extension Fixtures {
    static let site = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)

    /// The shipped default policy, read from the application's bundled copy in the source tree:
    /// scoring has no bundle and reads no files of its own.
    static func policy() throws -> Policy { try Policy(json: Data(contentsOf: shippedPolicyURL)) }

    static let shippedPolicyURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/ReadinessApp/Policies/Bundled/sococo-v1.json")
}
