extension PolicyDiff {
    /// Every field of a rule that differs, tiers matched by name.
    static func fields(_ old: PolicyRule, _ new: PolicyRule) -> [FieldChange] {
        var changes = FieldChanges()
        changes.compare("kind", old.kind, new.kind)
        changes.compare("code", old.code, new.code)
        changes.compare("source", old.source, new.source)
        changes.compare("citation", old.citation, new.citation)
        changes.compare("remediation", old.remediation, new.remediation)
        changes.compare("route/protocol", old.route?.protocol, new.route?.protocol)
        changes.compare("route/port", (old.route?.port).map { Double($0) }, (new.route?.port).map { Double($0) })
        changes.compareList("route/destinations", old.route?.destinations, new.route?.destinations)
        changes.compareList("destinations", old.destinations, new.destinations)
        changes.compare("headroom", old.headroom, new.headroom)
        changes.compareList("tiers", old.tiers.map(\.tier), new.tiers.map(\.tier))
        var names: [String] = []
        for tier in old.tiers.map(\.tier) + new.tiers.map(\.tier) where !names.contains(tier) { names.append(tier) }
        for name in names {
            let before = old.tiers.first { $0.tier == name }, after = new.tiers.first { $0.tier == name }
            let path = "tiers/\(name)/"
            changes.compare(path + "on_breach", before?.onBreach, after?.onBreach)
            changes.compare(path + "limit/comparison", before?.limit?.comparison, after?.limit?.comparison)
            changes.compare(path + "limit/value", before?.limit?.value, after?.limit?.value)
            changes.compare(path + "at_least_longest_call", before?.atLeastLongestCall, after?.atLeastLongestCall)
            changes.compare(path + "profile/up_kbps", before?.profile?.upKbps, after?.profile?.upKbps)
            changes.compare(path + "profile/down_kbps", before?.profile?.downKbps, after?.profile?.downKbps)
            changes.compare(path + "source", before?.source, after?.source)
            changes.compare(path + "citation", before?.citation, after?.citation)
        }
        return changes.list
    }
}

/// Collects the fields that differ, in the order compared.
struct FieldChanges {
    private(set) var list: [FieldChange] = []

    mutating func compare(_ field: String, _ old: String?, _ new: String?) {
        guard old != new else { return }
        list.append(FieldChange(field: field, from: old.map(DiffValue.string) ?? .null, to: new.map(DiffValue.string) ?? .null))
    }

    mutating func compare(_ field: String, _ old: Double?, _ new: Double?) {
        guard old != new else { return }
        list.append(FieldChange(field: field, from: old.map(DiffValue.number) ?? .null, to: new.map(DiffValue.number) ?? .null))
    }

    mutating func compare(_ field: String, _ old: Bool?, _ new: Bool?) {
        guard old != new else { return }
        list.append(FieldChange(field: field, from: old.map(DiffValue.bool) ?? .null, to: new.map(DiffValue.bool) ?? .null))
    }

    /// Lists compare as sets (order carries no meaning in a policy's destinations or tiers);
    /// the change names what entered and what left.
    mutating func compareList(_ field: String, _ old: [String]?, _ new: [String]?) {
        let before = old ?? [], after = new ?? []
        guard Set(before) != Set(after) || (old == nil) != (new == nil) else { return }
        list.append(FieldChange(
            field: field, from: old.map(DiffValue.strings) ?? .null, to: new.map(DiffValue.strings) ?? .null,
            added: after.filter { !before.contains($0) }, removed: before.filter { !after.contains($0) }))
    }
}
