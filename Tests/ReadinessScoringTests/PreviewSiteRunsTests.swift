import Foundation
import Testing
import ReadinessContractFixtures
@testable import ReadinessContract
@testable import ReadinessScoring

/// `PreviewSiteRuns` (columns by kind, combined where they lie) must give exactly what
/// `PolicyPreview.site` gives for the same runs, on the fast path and on every way off it.
@Suite struct PreviewSiteRunsTests {
    let current: Policy
    init() throws { current = try Fixtures.policy() }

    /// A small deterministic generator (SplitMix64), so a failure names its seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// How a site's rows come: as the index returns them, or off the fast path.
    enum Shape: String, CaseIterable, CustomTestStringConvertible {
        case rising, tied, shuffled, repeated, repeatedLater, stale, hostless, mixedKinds, fromBodies
        var testDescription: String { rawValue }
    }

    /// A site's runs under `shape`, each as its stored entry text (and result, for bodies).
    private func runs(_ shape: Shape, seed: UInt64) throws -> [(entry: String, runID: UUID, finishedAt: Date, result: ProbeResult)] {
        var random = Generator(state: seed)
        let site = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)
        let count = Int.random(in: 0...40, using: &random)
        let spacing: TimeInterval = shape == .stale ? 3000 : 300
        let offset: TimeInterval = shape == .stale ? 2 * 86_400 : 30
        var made: [(entry: String, runID: UUID, finishedAt: Date, result: ProbeResult)] = []
        for index in 0..<count {
            let step = shape == .tied ? Double(index / 3) : Double(index)
            let finishedAt = Fixtures.now.addingTimeInterval(-offset - step * spacing)
            var result = Fixtures.optimalResult(runID: UUID(), finishedAt: finishedAt)
            result.agent.hostname = shape == .hostless && index % 2 == 0 ? nil : "pc-\(Int.random(in: 0...2, using: &random))"
            result.setLatency(rtt: Double(Int.random(in: 200...4000, using: &random)) / 10,
                              jitter: Double(Int.random(in: 0...300, using: &random)) / 10,
                              loss: Double(Int.random(in: 0...3, using: &random)))
            result.bandwidth = Bool.random(using: &random) ? nil
                : .init(downKbps: Double(Int.random(in: 1000...90_000, using: &random)), upKbps: Double(Int.random(in: 500...40_000, using: &random)))
            result.udpTimeout = Bool.random(using: &random) ? nil
                : .init(lowerBoundS: Double([30, 60, 3600].randomElement(using: &random) ?? 60),
                        upperBoundS: Bool.random(using: &random) ? nil : 7200, probeMaxS: 3600)
            let evaluation = current.evaluate(result, site: site)
            var entry = try #require(WindowEntry.text(of: evaluation.observations, hostname: result.agent.hostname, policy: current))
            if shape == .mixedKinds, index % 4 == 1 {
                // One rule's field of another kind: the rule's runs disagree on what they saw.
                var fields = entry.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                let metric = try #require(fields.firstIndex { $0.hasPrefix("m") })
                fields[metric] = "c1,0"
                entry = fields.joined(separator: ";")
            }
            made.append((entry, result.runID, finishedAt, result))
        }
        // The index returns a window oldest first.
        made.reverse()
        switch shape {
        case .shuffled: made.shuffle(using: &random)
        case .repeated: if let first = made.first { made.append(first) }
        case .repeatedLater:
            // A later run under an earlier run's id, finish times still rising: only the id check sees it.
            if made.count >= 2 { made[made.count - 1].runID = made[0].runID }
        default: break
        }
        return made
    }

    @Test(arguments: Shape.allCases, [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func columnsJudgeAsPolicyPreviewJudges(shape: Shape, seed: UInt64) throws {
        let candidate = try PolicyPreviewTests.stricterRTT(current, optimal: 60 + Double(seed * 10), minimal: 150)
        let preview = PolicyPreview(current: current, candidate: candidate)
        let site = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)
        var gathered = PreviewSiteRuns(preview: preview)
        // A site gathered before, so the columns are reused as they are in a fleet.
        for run in try runs(.rising, seed: seed + 100) {
            _ = Array(run.entry.utf8).withUnsafeBytes { gathered.add(entryUTF8: $0, runID: run.runID, finishedAt: run.finishedAt) }
        }
        gathered.removeAll()
        var expected: [PreviewRun] = []
        for (position, run) in try runs(shape, seed: seed).enumerated() {
            if shape == .fromBodies, position % 3 == 0 {
                let observed = preview.run(run.result, finishedAt: run.finishedAt)
                gathered.add(observed)
                expected.append(observed)
                continue
            }
            let added = Array(run.entry.utf8).withUnsafeBytes { gathered.add(entryUTF8: $0, runID: run.runID, finishedAt: run.finishedAt) }
            #expect(added)
            expected.append(try #require(preview.run(entry: run.entry, runID: run.runID, finishedAt: run.finishedAt)))
        }
        #expect(gathered.count == expected.count)
        let outcome = gathered.site(site, now: Fixtures.now)
        let reference = preview.site(expected, site: site, now: Fixtures.now)
        #expect(outcome.before == reference.before)
        #expect(outcome.after == reference.after)
        if shape == .stale, !expected.isEmpty { #expect(outcome.before.verdict == .stale) }
    }

    @Test func anEntryThatIsNoneIsRefusedAndLeavesTheColumnsAsTheyWere() throws {
        let preview = PolicyPreview(current: current, candidate: try PolicyPreviewTests.stricterRTT(current))
        var gathered = PreviewSiteRuns(preview: preview)
        let site = SiteParameters(expectedConcurrentUsers: 10, longestCallS: 3600)
        let good = try runs(.rising, seed: 42)
        for run in good {
            _ = Array(run.entry.utf8).withUnsafeBytes { gathered.add(entryUTF8: $0, runID: run.runID, finishedAt: run.finishedAt) }
        }
        // Valid fields up to the last, then a field the grammar does not have.
        let broken = (good.first?.entry ?? "").replacingOccurrences(of: ";d", with: ";x")
        let refused = Array(broken.utf8).withUnsafeBytes { gathered.add(entryUTF8: $0, runID: UUID(), finishedAt: Fixtures.now) }
        #expect(!refused)
        #expect(gathered.count == good.count)
        let expected = try good.map { try #require(preview.run(entry: $0.entry, runID: $0.runID, finishedAt: $0.finishedAt)) }
        let reference = preview.site(expected, site: site, now: Fixtures.now)
        let outcome = gathered.site(site, now: Fixtures.now)
        #expect(outcome.before == reference.before && outcome.after == reference.after)
    }
}

/// `ObservationTable` keeps what the text parser reads, whether a run's fields are parsed or
/// copied from the run before (the same leading bytes).
@Suite struct ObservationTableTests {
    @Test func rowsHoldWhatTheTextParserReads() throws {
        let entries = [
            "d2,1;r1,1,2,0;m21.5;u60.0,3600.0,;b100.0,50.0\npc-1",
            "d2,1;r1,1,2,0;m22.5;u60.0,3600.0,7200.0;b\npc-1",       // DNS and route copied
            "d2,1;r1,1,2,0;m2.25e1;u;b100.0,50.0\npc-2",             // an exponent: the text parser's
            "d3,1,a.example=1;r1,1,2,0;m;u60.0,3600.0,;b1.0,2.0",     // hosts: the text parser's
            "d3,1,a.example=1;r1,0,2,1;m-0.0;u60.0,3600.0,;b1.0,2.0", // the same DNS bytes again, copied
            "d3,1,a.example=1;r1,0,2,1;m-0.0;u60.0,3600.0,;b1.0,2.0",
        ]
        var table = ObservationTable(columns: 5)
        for entry in entries {
            let appended = Array(entry.utf8).withUnsafeBytes { table.append(entry: $0) }
            guard case .added = appended else { Issue.record("refused \(entry)"); return }
        }
        for (run, entry) in entries.enumerated() {
            let (expected, _) = try #require(WindowEntry.parse(Substring(entry), rules: 5))
            #expect((0..<5).map { table.observation(run: run, column: $0) } == expected, "run \(run)")
        }
        let refused = Array("d2,1;r1,1,2,0;c1,0;u;b".utf8).withUnsafeBytes { table.append(entry: $0) }
        guard case .mixed = refused else { Issue.record("a metric rule given a condition was kept"); return }
        #expect(table.count == entries.count)
    }

    /// The fields an entry ends with, when they and the hostname are the run before's byte for
    /// byte, are copied; whatever a hostname holds (a `;`, or bytes that look like the run
    /// before's last fields), each run reads as the text parser reads it.
    @Test func endsSharedWithTheRunBeforeAreCopiedHostnameAndAll() throws {
        let entries: [(entry: String, hostname: String?)] = [
            ("r1,1,2,0;m21.5;d2,1;c1,0\npc-1", "pc-1"),
            ("r1,1,2,0;m22.5;d2,1;c1,0\npc-1", "pc-1"),                 // the DNS and condition fields and host copied
            ("r1,1,2,0;m22.5;d2,1;c1,0\npc-2", "pc-2"),                 // another host: nothing shared at the end
            ("r1,0,2,1;m23.5;d3,1,a.example=1;c1,1\na;c1,1", "a;c1,1"), // hosts (the text parser's), a `;` in the hostname
            ("r1,0,2,1;m24.5;d3,1,a.example=1;c1,1\na;c1,1", "a;c1,1"), // the DNS tally with its hosts copied
            ("r1,1,2,0;m25.5;d2,1;c1,1", nil),                           // no hostname
            ("r1,1,2,0;m26.5;d2,1;c1,1", nil),
            ("r1,1,2,0;m27.5;d2,1;c0,0\n;c1,1", ";c1,1"),               // a hostname that is the last field's bytes
            ("r1,1,2,0;m28.5;d2,1;c1,1", nil),
        ]
        var table = ObservationTable(columns: 4)
        for (run, (entry, hostname)) in entries.enumerated() {
            let appended = Array(entry.utf8).withUnsafeBytes { table.append(entry: $0) }
            guard case let .added(parsed) = appended else { Issue.record("refused \(entry)"); return }
            #expect(parsed == hostname, "run \(run)")
            let (expected, textHostname) = try #require(WindowEntry.parse(Substring(entry), rules: 4))
            #expect(textHostname == hostname, "run \(run)")
            #expect((0..<4).map { table.observation(run: run, column: $0) } == expected, "run \(run)")
        }
    }
}
