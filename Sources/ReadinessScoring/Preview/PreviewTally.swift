/// The fleet-wide figures of a preview, added up a site at a time so no site is held once
/// counted: verdicts before and after, sites whose verdict changes, and per finding code the
/// sites where it would appear and where it would clear.
public struct PreviewTally: Sendable, Equatable {
    public private(set) var sites = 0
    public private(set) var changed = 0
    public private(set) var before: [Verdict: Int] = [:]
    public private(set) var after: [Verdict: Int] = [:]
    public private(set) var appearing: [String: Int] = [:]
    public private(set) var clearing: [String: Int] = [:]

    public init() {}

    public mutating func add(_ site: SitePreview) {
        sites += 1
        if site.verdictChanged { changed += 1 }
        before[site.before.verdict, default: 0] += 1
        after[site.after.verdict, default: 0] += 1
        for code in site.appearing { appearing[code, default: 0] += 1 }
        for code in site.clearing { clearing[code, default: 0] += 1 }
    }

    /// Adds another part of the fleet's figures (a batch of sites tallied on its own).
    public mutating func add(_ other: PreviewTally) {
        sites += other.sites
        changed += other.changed
        before.merge(other.before, uniquingKeysWith: +)
        after.merge(other.after, uniquingKeysWith: +)
        appearing.merge(other.appearing, uniquingKeysWith: +)
        clearing.merge(other.clearing, uniquingKeysWith: +)
    }
}
