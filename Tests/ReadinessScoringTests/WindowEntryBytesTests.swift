import Foundation
import Testing
@testable import ReadinessScoring

/// The preview's byte parser of window entries against the string parser, which defines them.
@Suite struct WindowEntryBytesTests {
    static let entries = [
        "r1,1,2,0;c1,0;u3600.0,3600.0,;m21.0;m2.4;m0.0;b94000.0,38000.0;d1,0\nlobby-pc-3",
        "r0,0,0,0;c0,0;u;m;m;m;b;d0,0",
        "r1,0,3,3;c1,1;u600.0,900.0,650.5;m-0.0;m123.456789012345;m0.30000000000000004;b1e-05,5e+20;d2,1,dns.example=1\nhost",
        "r1,1,2,0;c1,0;u3600.0,3600.0,;m21.0;m2.4;m0.0;b94000.0,38000.0;d1,0\nhost;with;semicolons\nand lines",
        "r1,1,2,0;c1,0;u;m21.;m.5;m7;b;d0,0",
        "r+1,1,2,0;c1,0;u;m1;m1;m1;b;d0,0",
        "r99999999999999999999,1,2,0;c1,0;u;m1;m1;m1;b;d0,0",
        "r1,1,2,0;c1,0;u;m1;m1;m1;b",
        "r1,1,2,0;c1,0;u;m1;m1;m1;b;d0,0;m1",
        "x1;c1,0;u;m1;m1;m1;b;d0,0",
        "",
    ]

    @Test(arguments: entries)
    func bytesParseAsTheTextParses(entry: String) {
        let text = WindowEntry.parse(entry[...], rules: 8)
        let bytes = WindowEntry.parse(utf8: Array(entry.utf8), rules: 8)
        #expect(text?.observations == bytes?.observations)
        #expect(text?.hostname == bytes?.hostname)
        #expect((text == nil) == (bytes == nil))
    }

    @Test func decimalsReadBackToTheSameBits() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let value: Double = switch Int.random(in: 0..<4, using: &generator) {
            case 0: Double(Int.random(in: 0..<100_000, using: &generator)) / 10
            case 1: Double.random(in: 0..<1000, using: &generator)
            case 2: (Double.random(in: 0..<500, using: &generator) * 1000).rounded() / 1000
            default: Double(bitPattern: UInt64.random(in: 0..<0x7FF0_0000_0000_0000, using: &generator))
            }
            let entry = "m\(value)"
            let parsed = WindowEntry.parse(utf8: Array(entry.utf8), rules: 1)?.observations.first
            guard case let .metric(read?) = parsed else { Issue.record("\(entry) did not parse"); continue }
            #expect(read.bitPattern == value.bitPattern, "\(entry)")
        }
    }
}
