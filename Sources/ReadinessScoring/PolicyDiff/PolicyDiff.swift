/// What changed between two versions of one policy, rule by rule (issue 17: `GET
/// /v1/policies/{policy_name}/diff`). Rules are matched by id; a changed rule lists each field
/// that differs, with the tier's name in the path for tier fields, so a threshold moving from
/// 150 to 100 ms reads `tiers/optimal/limit/value: 150 → 100`.
public struct PolicyDiff: Codable, Sendable, Equatable {
    public var policy: String
    public var from: Int
    public var to: Int
    /// Title, freshness window and transport routes.
    public var document: [FieldChange]
    /// Rules only in `to`, as declared there.
    public var added: [PolicyRule]
    /// Rules only in `from`, as declared there.
    public var removed: [PolicyRule]
    public var changed: [RuleChange]
    /// Ids of the rules both versions declare alike.
    public var unchanged: [String]

    public init(from old: PolicyDocument, to new: PolicyDocument) {
        policy = new.policy
        from = old.version
        to = new.version
        var document = FieldChanges()
        document.compare("title", old.title, new.title)
        document.compare("freshness_window_s", old.freshnessWindowS, new.freshnessWindowS)
        document.compare("transport/media_route", old.transport.mediaRoute, new.transport.mediaRoute)
        document.compare("transport/udp_443_route", old.transport.udp443Route, new.transport.udp443Route)
        document.compare("transport/tls_route", old.transport.tlsRoute, new.transport.tlsRoute)
        self.document = document.list
        let oldIDs = Set(old.rules.map(\.id)), newIDs = Set(new.rules.map(\.id))
        added = new.rules.filter { !oldIDs.contains($0.id) }
        removed = old.rules.filter { !newIDs.contains($0.id) }
        changed = []
        unchanged = []
        for rule in new.rules {
            guard let before = old.rules.first(where: { $0.id == rule.id }) else { continue }
            let fields = Self.fields(before, rule)
            if fields.isEmpty { unchanged.append(rule.id) } else { changed.append(RuleChange(ruleID: rule.id, fields: fields)) }
        }
    }

    public var isEmpty: Bool { document.isEmpty && added.isEmpty && removed.isEmpty && changed.isEmpty }
}

/// One rule declared in both versions, and what differs.
public struct RuleChange: Codable, Sendable, Equatable {
    public var ruleID: String
    public var fields: [FieldChange]

    enum CodingKeys: String, CodingKey {
        case fields
        case ruleID = "rule_id"
    }
}

/// One field's value in each version (`null` where the version does not declare it); for lists
/// of destinations or tiers also what entered and what left.
public struct FieldChange: Codable, Sendable, Equatable {
    /// Slash-separated path inside the rule (or the document), e.g. `route/destinations`.
    public var field: String
    public var from: DiffValue
    public var to: DiffValue
    public var added: [String]?
    public var removed: [String]?
}

/// A field's value: the few JSON shapes a policy's fields have.
public enum DiffValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case strings([String])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else { self = .strings(try container.decode([String].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(flag): try container.encode(flag)
        case let .number(number): try container.encode(number)
        case let .string(text): try container.encode(text)
        case let .strings(list): try container.encode(list)
        }
    }
}
