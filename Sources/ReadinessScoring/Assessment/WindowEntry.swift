import Foundation

/// What a site's window needs of one stored result, in a few dozen bytes of text: every rule's
/// observation of the run under the policy version that evaluated it, and the agent's hostname.
/// Stored beside the result (`results.window_entry`), so a window is rebuilt without reading
/// or decoding a single body.
///
/// One line of observations in rule order, `;` between rules: `r<tested>,<reached>,<matched>,<failed>`,
/// `c<known>,<with condition>`, `u` or `u<lower>,<probe max>,<upper or nothing>`, `m` or `m<value>`,
/// `b` or `b<down>,<up>`, `d<known>,<unresolved>` then `,<host>` for each unresolved host with the
/// number of runs it failed in as `,<host>=<runs>` (hosts percent-encoded); numbers as Swift writes them (shortest text that reads back to the same
/// bits). Then, when the agent named its host, a newline and the hostname.
public enum WindowEntry {
    /// The entry of a run whose evaluation observed it under `policy`; nil for other observations.
    public static func text(of observations: RunObservations, hostname: String?, policy: Policy) -> String? {
        guard observations.belong(to: policy) else { return nil }
        return text(of: observations, hostname: hostname)
    }

    /// The entry of a run as its evaluation observed it (under the evaluation's policy version,
    /// which the stored result names); nil for an evaluation read back, which has none.
    public static func text(of observations: RunObservations, hostname: String?) -> String? {
        guard !observations.values.isEmpty else { return nil }
        var line = observations.values.map(text).joined(separator: ";")
        if let hostname { line += "\n" + hostname }
        return line
    }

    static func text(_ observation: RuleObservation) -> String {
        switch observation {
        case let .route(tested, reached, matched, failed): return "r\(tested),\(reached),\(matched),\(failed)"
        case let .condition(known, bad): return "c\(known),\(bad)"
        case let .udpTimeout(probe?): return "u\(probe.lowerBoundS),\(probe.probeMaxS),\(probe.upperBoundS.map { "\($0)" } ?? "")"
        case .udpTimeout(nil): return "u"
        case let .metric(value?): return "m\(value)"
        case .metric(nil): return "m"
        case let .bandwidth(probe?): return "b\(probe.downKbps),\(probe.upKbps)"
        case .bandwidth(nil): return "b"
        case let .resolution(tally):
            let hosts = tally.hostRuns.keys.sorted().map { "," + hostText($0) + "=\(tally.hostRuns[$0] ?? 0)" }
            return "d\(tally.runsKnown),\(tally.runsUnresolved)" + hosts.joined()
        }
    }

    /// The observations and hostname of an entry with `rules` rules; nil when it is not one.
    static func parse(_ entry: Substring, rules: Int) -> (observations: [RuleObservation], hostname: String?)? {
        let split = entry.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard let line = split.first else { return nil }
        let hostname = split.count > 1 ? String(split[1]) : nil
        var observations: [RuleObservation] = []
        observations.reserveCapacity(rules)
        for field in line.split(separator: ";", omittingEmptySubsequences: false) {
            guard let kind = field.first else { return nil }
            let parts = field.dropFirst().split(separator: ",", omittingEmptySubsequences: false)
            let empty = field.count == 1
            switch kind {
            case "r":
                let n = parts.compactMap { Int($0) }
                guard n.count == 4 else { return nil }
                observations.append(.route(runsTested: n[0], runsReached: n[1], probesMatched: n[2], probesFailed: n[3]))
            case "c":
                let n = parts.compactMap { Int($0) }
                guard n.count == 2 else { return nil }
                observations.append(.condition(runsKnown: n[0], runsWithCondition: n[1]))
            case "u":
                if empty { observations.append(.udpTimeout(nil)); continue }
                guard parts.count == 3, let lower = Double(parts[0]), let probeMax = Double(parts[1]) else { return nil }
                let upper = parts[2].isEmpty ? nil : Double(parts[2])
                guard parts[2].isEmpty || upper != nil else { return nil }
                observations.append(.udpTimeout(.init(lowerBoundS: lower, upperBoundS: upper, probeMaxS: probeMax)))
            case "m":
                if empty { observations.append(.metric(nil)); continue }
                guard parts.count == 1, let value = Double(parts[0]) else { return nil }
                observations.append(.metric(value))
            case "b":
                if empty { observations.append(.bandwidth(nil)); continue }
                guard parts.count == 2, let down = Double(parts[0]), let up = Double(parts[1]) else { return nil }
                observations.append(.bandwidth(.init(downKbps: down, upKbps: up)))
            case "d":
                guard let resolution = resolution(parts) else { return nil }
                observations.append(.resolution(resolution))
            default:
                return nil
            }
        }
        guard observations.count == rules else { return nil }
        return (observations, hostname)
    }
}

extension WindowEntry {
    /// A host name as entry text: percent-encoded, so that no `;`, `,`, `=` or newline a
    /// misbehaving agent sent can split the entry.
    static func hostText(_ host: String) -> String {
        host.addingPercentEncoding(withAllowedCharacters: hostCharacters) ?? ""
    }

    private static let hostCharacters = CharacterSet(charactersIn:
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:[]*")

    /// `d`'s fields: runs known, runs unresolved, then `host=runs` for each host.
    static func resolution(_ parts: [Substring]) -> ResolutionTally? {
        guard parts.count >= 2, let known = Int(parts[0]), let unresolved = Int(parts[1]) else { return nil }
        var hostRuns: [String: Int] = [:]
        for part in parts.dropFirst(2) {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, let host = String(pair[0]).removingPercentEncoding, let runs = Int(pair[1]) else { return nil }
            hostRuns[host] = runs
        }
        return ResolutionTally(runsKnown: known, runsUnresolved: unresolved, hostRuns: hostRuns)
    }
}

extension SiteWindow {
    /// Adds a stored run from its `WindowEntry` (made under this window's policy version);
    /// false when the entry is not one, and nothing was added.
    public mutating func insert(entry: String, runID: UUID, finishedAt: Date) -> Bool {
        guard let (observations, hostname) = WindowEntry.parse(entry[...], rules: policy.plans.count) else { return false }
        insert(runID: runID, finishedAt: finishedAt, hostname: hostname, observations: observations)
        return true
    }
}
