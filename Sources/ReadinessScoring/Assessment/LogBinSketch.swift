import Foundation

/// A mergeable quantile sketch with a relative error of at most 1 % (the log-bin scheme of
/// DDSketch, Masson et al., VLDB 2019): each value is counted in the bin
/// `ceil(log_γ |v|)`, γ = (1 + α)/(1 − α), α = 0.01, so every value in a bin is within α of
/// the bin's representative. Each bin also keeps the least and greatest value counted in it:
/// a bin holding one distinct value (the usual case for repeated figures such as a UDP
/// timeout's 600 s) answers that value exactly, and no answer lies outside the values seen.
///
/// Bins are kept sorted, so a rank is found by one walk over them: the number of bins is
/// bounded by the range of the values (some 2,300 bins from 1e-9 to 1e11), not by how many
/// values were counted.
struct LogBinSketch: Sendable, Equatable, Codable {
    static let relativeError = 0.01
    static let gamma = (1 + relativeError) / (1 - relativeError)
    private static let logGamma = log(gamma)

    struct Bin: Sendable, Equatable, Codable {
        var key: Int
        var count: Int
        var least: Double
        var greatest: Double
    }

    private(set) var bins: [Bin] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Negative values sort before zero, zero before positive values; a bin's key keeps that order.
    static func key(of value: Double) -> Int {
        guard value.isFinite else { return value > 0 ? Int.max : Int.min }
        if value == 0 { return -100_000 }
        let index = Int((log(abs(value)) / logGamma).rounded(.up))
        return value > 0 ? index : -200_000 - index
    }

    mutating func add(_ value: Double, times: Int = 1) {
        let key = Self.key(of: value)
        let position = position(of: key)
        count += times
        if position < bins.count, bins[position].key == key {
            bins[position].count += times
            bins[position].least = min(bins[position].least, value)
            bins[position].greatest = max(bins[position].greatest, value)
        } else {
            bins.insert(Bin(key: key, count: times, least: value, greatest: value), at: position)
        }
    }

    /// Adds every bin of `other`.
    mutating func merge(_ other: LogBinSketch) {
        for bin in other.bins {
            let position = position(of: bin.key)
            if position < bins.count, bins[position].key == bin.key {
                bins[position].count += bin.count
                bins[position].least = min(bins[position].least, bin.least)
                bins[position].greatest = max(bins[position].greatest, bin.greatest)
            } else {
                bins.insert(bin, at: position)
            }
        }
        count += other.count
    }

    /// Takes `other`'s counts out (it must have been merged in). A bin's least and greatest
    /// cannot be taken out, so those of a bin that still holds values are found again from
    /// `rest`, the sketches that remain merged.
    mutating func subtract(_ other: LogBinSketch, rest: [LogBinSketch]) {
        for bin in other.bins {
            let position = position(of: bin.key)
            guard position < bins.count, bins[position].key == bin.key else { continue }
            bins[position].count -= bin.count
            if bins[position].count <= 0 {
                bins.remove(at: position)
                continue
            }
            var least = Double.infinity, greatest = -Double.infinity
            for sketch in rest {
                if let held = sketch.bin(bin.key) {
                    least = min(least, held.least)
                    greatest = max(greatest, held.greatest)
                }
            }
            if least <= greatest { (bins[position].least, bins[position].greatest) = (least, greatest) }
        }
        count = max(0, count - other.count)
    }

    func bin(_ key: Int) -> Bin? {
        let position = position(of: key)
        return position < bins.count && bins[position].key == key ? bins[position] : nil
    }

    /// The value of rank `rank` (1-based) in sorted order, within 1 %.
    func value(rank: Int) -> Double? {
        guard count > 0 else { return nil }
        let wanted = min(max(rank, 1), count)
        var seen = 0
        for bin in bins {
            seen += bin.count
            if seen >= wanted { return Self.representative(bin) }
        }
        return bins.last.map(Self.representative)
    }

    /// `Statistics.median`: the mean of the two middle values for an even count.
    var median: Double? {
        guard count > 0 else { return nil }
        guard count % 2 == 0 else { return value(rank: count / 2 + 1) }
        guard let low = value(rank: count / 2), let high = value(rank: count / 2 + 1) else { return nil }
        return low == high ? low : (low + high) / 2
    }

    /// `Statistics.percentile`: nearest rank.
    func percentile(_ p: Double) -> Double? {
        value(rank: Int((p / 100 * Double(count)).rounded(.up)))
    }

    /// The bin's one value when it holds one; else the point of least relative error in its
    /// range, kept within the values seen.
    private static func representative(_ bin: Bin) -> Double {
        if bin.least == bin.greatest { return bin.least }
        guard abs(bin.key) < 100_000 else { return (bin.least + bin.greatest) / 2 }
        let middle = 2 * pow(gamma, Double(bin.key)) / (gamma + 1)
        return min(max(middle, bin.least), bin.greatest)
    }

    private func position(of key: Int) -> Int {
        var low = 0, high = bins.count
        while low < high {
            let middle = (low + high) / 2
            if bins[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
