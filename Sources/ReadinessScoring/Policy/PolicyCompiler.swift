import ReadinessContract
import Foundation

/// Validates a `PolicyDocument` and compiles it into `CompiledRule`s in one pass,
/// collecting every fault with its JSON pointer.
struct PolicyCompiler {
    private(set) var faults: [ValidationFault] = []

    mutating func fault(_ pointer: String, _ message: String) {
        faults.append(ValidationFault(pointer: pointer, message: message))
    }

    mutating func compile(_ document: PolicyDocument) -> [CompiledRule] {
        if document.policy.isEmpty { fault("/policy", "must not be empty") }
        if document.version < 1 { fault("/version", "must be at least 1") }
        if !(document.freshnessWindowS > 0) { fault("/freshness_window_s", "must be more than 0") }
        if document.rules.isEmpty { fault("/rules", "must hold at least one rule") }
        var firstIndexOfID: [String: Int] = [:]
        var firstIndexOfCode: [String: Int] = [:]
        var compiled: [CompiledRule] = []
        for (index, rule) in document.rules.enumerated() {
            let base = "/rules/\(index)"
            if rule.id.isEmpty { fault(base + "/id", "must not be empty") }
            if let first = firstIndexOfID[rule.id] {
                fault(base + "/id", "duplicates the id \"\(rule.id)\" of /rules/\(first)")
            } else {
                firstIndexOfID[rule.id] = index
            }
            // Codes are how history and ticketing systems follow a finding, so they must be unique.
            if let first = firstIndexOfCode[rule.code] {
                fault(base + "/code", "duplicates the code \"\(rule.code)\" of /rules/\(first)")
            } else {
                firstIndexOfCode[rule.code] = index
            }
            if let rule = compileRule(rule, at: base) { compiled.append(rule) }
        }
        checkTransport(document.transport, rules: document.rules)
        return compiled
    }

    private mutating func compileRule(_ rule: PolicyRule, at base: String) -> CompiledRule? {
        let before = faults.count
        if rule.code.isEmpty || !rule.code.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }) {
            fault(base + "/code", "must be upper-case letters, digits and underscores")
        }
        if rule.remediation.isEmpty { fault(base + "/remediation", "must not be empty") }
        let kind = RuleKind(rawValue: rule.kind)
        if kind == nil { fault(base + "/kind", "is not a known rule kind: \"\(rule.kind)\"") }
        checkBuiltIn(rule, kind: kind, at: base)
        let source = SourceTag(rawValue: rule.source)
        if source == nil { fault(base + "/source", "must be one of \"seed\", \"chime\", \"derived\"") }
        var routeProtocol: ProbeResult.TransportProtocol?
        var destinations: [DestinationPattern] = []
        if kind == .route {
            if let route = rule.route {
                routeProtocol = ProbeResult.TransportProtocol(rawValue: route.protocol)
                if routeProtocol == nil { fault(base + "/route/protocol", "must be \"tcp\" or \"udp\"") }
                if !(1...65_535).contains(route.port) { fault(base + "/route/port", "must be between 1 and 65535") }
                destinations = compileDestinations(route.destinations, at: base + "/route/destinations")
            } else {
                fault(base + "/route", "is required for a route rule")
            }
        } else if kind?.needsDestinations == true {
            if let list = rule.destinations {
                destinations = compileDestinations(list, at: base + "/destinations")
            } else {
                fault(base + "/destinations", "is required for a \(rule.kind) rule")
            }
        }
        let headroom = rule.headroom ?? 1
        if kind == .bandwidth, !(headroom >= 1) { fault(base + "/headroom", "must be at least 1") }
        let tiers = compileTiers(rule, kind: kind, source: source ?? .derived, at: base)
        guard faults.count == before, let kind, let source else { return nil }
        return CompiledRule(
            id: rule.id, code: rule.code, kind: kind, source: source, citation: rule.citation,
            remediation: rule.remediation, tiers: tiers, routeProtocol: routeProtocol,
            routePort: rule.route?.port, destinations: destinations, headroom: headroom
        )
    }

    private mutating func compileDestinations(_ list: [String], at base: String) -> [DestinationPattern] {
        if list.isEmpty { fault(base, "must hold at least one destination") }
        var patterns: [DestinationPattern] = []
        for (index, text) in list.enumerated() {
            switch DestinationPattern.parse(text) {
            case let .success(pattern): patterns.append(pattern)
            case let .failure(error): fault("\(base)/\(index)", "\"\(text)\" \(error.message)")
            }
        }
        return patterns
    }

    /// The built-in DNS rule is appended to every policy, so a document may neither declare
    /// its kind nor take its id or code (findings are followed by code).
    private mutating func checkBuiltIn(_ rule: PolicyRule, kind: RuleKind?, at base: String) {
        let builtIn = CompiledRule.dnsResolution
        if kind == .dns { fault(base + "/kind", "is built into every policy as rule \"\(builtIn.id)\"; a document cannot declare it") }
        if rule.id == builtIn.id { fault(base + "/id", "\"\(rule.id)\" is reserved for the built-in rule") }
        if rule.code == builtIn.code { fault(base + "/code", "\"\(rule.code)\" is reserved for the built-in rule") }
    }

    /// Checked against the document, not the compiled rules, so a fault inside a route rule
    /// is not reported a second time as a dangling transport reference.
    private mutating func checkTransport(_ transport: PolicyDocument.TransportRoutes, rules: [PolicyRule]) {
        let pairs = [("media_route", transport.mediaRoute), ("udp_443_route", transport.udp443Route), ("tls_route", transport.tlsRoute)]
        for (key, id) in pairs where !rules.contains(where: { $0.id == id && $0.kind == RuleKind.route.rawValue }) {
            fault("/transport/\(key)", "must name a route rule, not \"\(id)\"")
        }
    }
}
