import ReadinessContract
import Foundation

/// Where a run sorts in `Policy.assess`: by finish time, then by run id (UUID's `<`, the order
/// of its bytes, which is also the order of its hex text).
struct RunKey: Comparable, Hashable, Sendable {
    let finishedAt: Double
    let high: UInt64
    let low: UInt64

    init(_ result: ProbeResult) { self.init(runID: result.runID, finishedAt: result.finishedAt) }

    init(runID: UUID, finishedAt date: Date) {
        finishedAt = date.timeIntervalSinceReferenceDate
        var high: UInt64 = 0, low: UInt64 = 0
        withUnsafeBytes(of: runID.uuid) { bytes in
            for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
            for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
        }
        self.high = high
        self.low = low
    }

    static func < (a: RunKey, b: RunKey) -> Bool { (a.finishedAt, a.high, a.low) < (b.finishedAt, b.high, b.low) }
}

/// A value of one run, ordered by value and then by run: the order a stable sort of the
/// values in run order gives (it only shows for -0 and 0, equal but spelled apart), and for
/// UDP timeouts exactly `ObservationCombiner`'s (lower bound, run index) order.
struct KeyedValue: Comparable, Sendable {
    let value: Double
    let key: RunKey

    static func < (a: KeyedValue, b: KeyedValue) -> Bool { (a.value, a.key) < (b.value, b.key) }
    static func == (a: KeyedValue, b: KeyedValue) -> Bool { a.value == b.value && a.key == b.key }
}

extension [KeyedValue] {
    /// The first position whose value does not sort before `value`.
    func lowerBound(_ value: KeyedValue) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    mutating func insertSorted(_ value: KeyedValue) { insert(value, at: lowerBound(value)) }

    mutating func removeSorted(_ value: KeyedValue) {
        let index = lowerBound(value)
        if index < count, self[index].key == value.key { remove(at: index) }
    }
}

extension RuleObservation {
    /// Whether the run told the rule something, i.e. counts toward its confidence
    /// (`ObservationCombiner`'s contributing runs).
    var contributes: Bool {
        switch self {
        case let .route(tested, _, _, _): return tested > 0
        case let .condition(known, _): return known > 0
        case let .udpTimeout(probe): return probe != nil
        case let .metric(value): return value != nil
        case let .bandwidth(probe): return probe != nil
        case let .resolution(tally): return tally.runsKnown > 0
        }
    }
}

/// One rule's observations over a window, kept combined as `ObservationCombiner` combines
/// them: sums for routes and conditions, sorted values for medians and percentiles.
struct RuleAggregate: Sendable {
    enum Shape: Sendable {
        case route, condition, udpTimeout, metric, bandwidth, resolution

        /// The observation `RulePlan.observe` makes for each kind of rule.
        init(_ kind: RuleKind) {
            switch kind {
            case .route: self = .route
            case .directMediaPath, .vpnMediaPath, .gateway, .tlsInspection: self = .condition
            case .udpTimeout: self = .udpTimeout
            case .rtt, .jitter, .loss: self = .metric
            case .bandwidth: self = .bandwidth
            case .dns: self = .resolution
            }
        }
    }

    let shape: Shape
    /// Routes' and conditions' sums (`ObservationCounts`).
    private var sums = ObservationCounts()
    private(set) var contributors = 0
    /// Metric values, UDP lower bounds, or bandwidth up.
    private var values = SortedValues()
    /// Bandwidth down.
    private var downs = SortedValues()
    /// The DNS rule's sums (`ResolutionTally` keeps its own counting).
    private var resolution = ResolutionTally()

    init(shape: Shape) { self.shape = shape }

    mutating func add(_ observation: RuleObservation, key: RunKey) { apply(observation, key: key, adding: true) }

    mutating func remove(_ observation: RuleObservation, key: RunKey) { apply(observation, key: key, adding: false) }

    private mutating func apply(_ observation: RuleObservation, key: RunKey, adding: Bool) {
        let sign = adding ? 1 : -1
        if observation.contributes { contributors += sign }
        func keep(_ value: Double, in list: inout SortedValues) {
            if adding { list.insert(KeyedValue(value: value, key: key)) } else { list.remove(KeyedValue(value: value, key: key)) }
        }
        sums.apply(observation, sign: sign)
        switch observation {
        case .route, .condition:
            break
        case let .udpTimeout(probe?):
            keep(probe.lowerBoundS, in: &values)
        case let .metric(value?):
            keep(value, in: &values)
        case let .bandwidth(probe?):
            keep(probe.upKbps, in: &values)
            keep(probe.downKbps, in: &downs)
        case let .resolution(tally):
            resolution.add(tally, sign: sign)
        case .udpTimeout(nil), .metric(nil), .bandwidth(nil):
            break
        }
    }

    /// The combined observation; `observation(of:)` gives a held run's own observation of
    /// this rule (for the UDP timeout, whose median run's whole probe is reported).
    func observation(of run: (RunKey) -> RuleObservation) -> RuleObservation {
        switch shape {
        case .route, .condition:
            return sums.observation(shape) ?? .metric(nil)
        case .udpTimeout:
            guard !values.isEmpty, case let .udpTimeout(probe) = run(values[(values.count - 1) / 2].key) else { return .udpTimeout(nil) }
            return .udpTimeout(probe)
        case .metric:
            return .metric(Self.median(values))
        case .bandwidth:
            guard let up = Self.percentile(values, ObservationCombiner.bandwidthPercentile),
                  let down = Self.percentile(downs, ObservationCombiner.bandwidthPercentile) else { return .bandwidth(nil) }
            return .bandwidth(.init(downKbps: down, upKbps: up))
        case .resolution:
            return .resolution(resolution)
        }
    }

    /// `Statistics.median` of sorted values.
    static func median(_ sorted: SortedValues) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle].value : (sorted[middle - 1].value + sorted[middle].value) / 2
    }

    /// `Statistics.percentile` (nearest rank) of sorted values.
    static func percentile(_ sorted: SortedValues, _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1].value
    }
}
