import ReadinessContractFixtures
import Foundation
import Testing
@testable import ReadinessScoring

/// The blocked list must read exactly as one sorted array would, through block splits and
/// emptied blocks, with few distinct values (so run keys decide ties) and -0 beside 0.
@Suite struct SortedValuesTests {
    private func key(_ run: Int) -> RunKey {
        var result = Fixtures.optimalResult(runID: UUID(), finishedAt: Date(timeIntervalSince1970: Double(run % 7)))
        result.runID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(truncatingIfNeeded: run >> 8), UInt8(truncatingIfNeeded: run)))
        return RunKey(result)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func readsAsOneSortedArrayThroughSplitsAndRemovals(seed: UInt64) {
        var inputs = GeneratedInputs(seed: seed)
        var list = SortedValues()
        var reference: [KeyedValue] = []
        var held: [KeyedValue] = []
        var splits = 0
        for step in 0..<3000 {
            // Grow to some 600 entries (several splits), then shrink to nothing and grow again.
            let growing = (step / 1000) % 2 == 0 ? inputs.chance(80) : inputs.chance(15)
            if growing || held.isEmpty {
                let value = KeyedValue(value: inputs.pick([0, -0.0, 1, 2, 40, 150, 0.5]), key: key(step))
                list.insert(value)
                reference.insert(value, at: reference.lowerBound(value))
                held.append(value)
            } else {
                let value = held.remove(at: Int.random(in: 0..<held.count, using: &inputs.generator))
                list.remove(value)
                reference.removeSorted(value)
            }
            if list.count > 2 * SortedValues.blockSize { splits += 1 }
            #expect(list.count == reference.count)
            if step % 50 == 0 {
                for position in reference.indices {
                    #expect(list[position] == reference[position] && list[position].value.sign == reference[position].value.sign)
                }
            }
        }
        #expect(splits > 0)
        // Removing what is not held changes nothing.
        let before = list.count
        list.remove(KeyedValue(value: 12345, key: key(99_999)))
        #expect(list.count == before)
    }
}
