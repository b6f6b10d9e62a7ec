import ReadinessContract
import JSON
import Foundation

/// A validated policy, compiled once for fast evaluation. The document it came from is kept
/// so the API can serve it with every rule's source and citation.
public struct Policy: Sendable {
    public let document: PolicyDocument
    let rules: [CompiledRule]
    /// `rules` prepared for evaluation, in the same order.
    let plans: [RulePlan]
    let mediaRouteIndex: Int
    let udp443RouteIndex: Int
    let tlsRouteIndex: Int
    let bandwidthRuleIndex: Int?

    public var name: String { document.policy }
    public var version: Int { document.version }
    public var freshnessWindow: TimeInterval { document.freshnessWindowS }

    public init(document: PolicyDocument) throws(PolicyValidationError) {
        var compiler = PolicyCompiler()
        // The built-in DNS rule goes last, so the document's rules keep their indexes.
        let rules = compiler.compile(document) + [CompiledRule.dnsResolution]
        let index = { (id: String) in rules.firstIndex { $0.id == id } }
        guard compiler.faults.isEmpty, let media = index(document.transport.mediaRoute),
              let udp = index(document.transport.udp443Route), let tls = index(document.transport.tlsRoute)
        else { throw PolicyValidationError(faults: compiler.faults) }
        self.document = document
        self.rules = rules
        self.plans = rules.map(RulePlan.init)
        self.mediaRouteIndex = media
        self.udp443RouteIndex = udp
        self.tlsRouteIndex = tls
        self.bandwidthRuleIndex = rules.firstIndex { $0.kind == .bandwidth }
    }

    /// Decodes and validates a policy document; structural errors (a string where a number
    /// belongs) are reported with the pointer `JSONDecoder` stopped at.
    public init(json: Data) throws(PolicyValidationError) {
        let document: PolicyDocument
        do {
            document = try JSONDecoder().decode(PolicyDocument.self, from: json)
        } catch let error as DecodingError {
            throw PolicyValidationError(faults: [Self.fault(from: error)])
        } catch {
            throw PolicyValidationError(faults: [ValidationFault(pointer: "", message: "is not valid JSON")])
        }
        try self.init(document: document)
    }

    private static func fault(from error: DecodingError) -> ValidationFault {
        func pointer(_ path: [any CodingKey]) -> String {
            path.reduce("") { partial, key in
                key.intValue.map { JSONPointer.appending(partial, $0) } ?? JSONPointer.appending(partial, key.stringValue)
            }
        }
        switch error {
        case let .keyNotFound(key, context):
            return ValidationFault(pointer: JSONPointer.appending(pointer(context.codingPath), key.stringValue), message: "is required")
        case let .typeMismatch(type, context):
            return ValidationFault(pointer: pointer(context.codingPath), message: "must be of type \(type)")
        case let .valueNotFound(type, context):
            return ValidationFault(pointer: pointer(context.codingPath), message: "must be of type \(type), not null")
        case let .dataCorrupted(context):
            return ValidationFault(pointer: pointer(context.codingPath), message: "is not valid JSON")
        @unknown default:
            return ValidationFault(pointer: "", message: "is not a valid policy document")
        }
    }
}
