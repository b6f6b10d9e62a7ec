import JSON
import Foundation

extension SiteWindow {
    /// `assess(site:now:)` with the assessment's compact document, the bytes
    /// `CompactSiteAssessment.jsonBytes(of:)` writes (tested over generated sequences). A rule
    /// whose judgement stands keeps its finding's compact members (all but the confidence,
    /// whose ages move with `now`), so a commit lane writes again only what changed.
    public mutating func assessCompact(
        site: SiteParameters, now: Date
    ) throws(JSONWriter.NonFiniteNumber) -> (assessment: SiteAssessment, compactJSON: [UInt8])? {
        guard let assessment = assess(site: site, now: now) else { return nil }
        let tails = compactTails(findings: assessment.findings.count)
        return (assessment, try CompactSiteAssessment.jsonBytes(of: assessment, findingTails: tails))
    }

    /// Each finding's compact tail, made for the rules judged anew; empty (write every finding)
    /// when the findings are not the rules' (a site without runs has none) or one cannot be
    /// written (a non-finite number, which the full write then reports).
    private mutating func compactTails(findings: Int) -> [[UInt8]] {
        guard findings == lastCombined.count else { return [] }
        var tails: [[UInt8]] = []
        tails.reserveCapacity(findings)
        for index in lastCombined.indices {
            if lastCombined[index].compactTail.isEmpty {
                guard let tail = try? CompactFinding.tail(of: lastCombined[index].finding) else { return [] }
                lastCombined[index].compactTail = tail
            }
            tails.append(lastCombined[index].compactTail)
        }
        return tails
    }
}
