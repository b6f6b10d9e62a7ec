import Foundation
import ReadinessContract
import ReadinessScoring

/// The policies the service ships. Reading them is the application's job: the domain does no
/// I/O and is handed the document's bytes (`Policy(json:)`).
package enum BundledPolicy {
    /// The shipped default, policy `sococo` version 1 (readiness-policy.md).
    package static func sococo() throws -> Policy {
        guard let url = Bundle.module.url(forResource: "sococo-v1", withExtension: "json", subdirectory: "Bundled") else {
            throw PolicyValidationError(faults: [ValidationFault(pointer: "", message: "the bundled default policy is missing")])
        }
        return try Policy(json: try Data(contentsOf: url))
    }
}
