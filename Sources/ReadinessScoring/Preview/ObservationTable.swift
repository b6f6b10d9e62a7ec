import Foundation
import ReadinessContract

/// A site's runs' observations as numbers, one row of four slots per rule per run, in one
/// flat array: an entry is parsed straight into its row. Kept as `RuleObservation` values
/// (an enum whose payload may hold a dictionary) every field cost outlined copies, reference
/// counts and an array append with its uniqueness check; that was most of a fleet preview's
/// time under perf.
///
/// A rule's kind is set by the first run; a run whose observation of it is of another kind,
/// or a count too large for a double to hold exactly, is refused as `.mixed` and the caller
/// judges from `RuleObservation`s instead. `combined(column:from:finishedAt:now:)` is
/// `ObservationCombiner.combine` with its `Confidence`, as `AssessedRuns.combined` makes them.
struct ObservationTable: Sendable {
    enum Kind: Sendable { case route, condition, udpTimeout, metric, bandwidth, resolution }

    enum Appended {
        case added(hostname: String?)
        /// The bytes are not an entry of this many rules.
        case notAnEntry
        /// A rule's observation is of another kind than the first run's (or not a number a double holds).
        case mixed
    }

    /// Slots per rule in a row: a route's four counts; a condition's two; a UDP probe's flags
    /// (1 there, 2 with an upper bound), lower bound, upper bound and longest probe; a metric's
    /// flag and value; bandwidth's flag, down and up. A DNS tally goes to `tallies`.
    static let slots = 4

    let columns: Int
    private(set) var count = 0
    private var kinds: [Kind?]
    private var numbers: [Double] = []
    /// Per run, the tally of each DNS rule in rule order.
    private var tallies: [ResolutionTally] = []
    /// The last hostname made and its bytes: a site's runs mostly name one host.
    private var lastHostname: (bytes: [UInt8], name: String)?
    /// The last run's entry: the fields it shares with the next one, byte for byte, are copied, not parsed again.
    private var previousEntry: [UInt8] = []
    /// Where the last run's fields end, counted from its entry's end: the length of its
    /// `\n` and hostname (0 without one).
    private var previousFieldsEndFromEnd = 0
    /// The last run's hostname.
    private var previousHostname: String?
    private var stride: Int { columns * Self.slots }

    init(columns: Int) {
        self.columns = columns
        kinds = Array(repeating: nil, count: columns)
    }

    mutating func removeAll() {
        count = 0
        numbers.removeAll(keepingCapacity: true)
        tallies.removeAll(keepingCapacity: true)
        for index in kinds.indices { kinds[index] = nil }
        previousEntry.removeAll(keepingCapacity: true)
    }

    /// Parses an entry into a new row (`WindowEntry.parse(utf8:rules:into:reset:)`). The
    /// leading fields it shares byte for byte with the run before (a site's routes and
    /// conditions seldom change from one run to the next) are that run's values, copied.
    ///
    /// Millions of entries pass through here in a fleet preview, so the row is written in
    /// place: the previous row is copied in one move (a parsed field overwrites every slot its
    /// kind reads), the kinds are lent to the parser rather than copied into it, and the
    /// hostname is made after the parse, from the entry's bytes, only when it is not the one
    /// before.
    mutating func append(entry: UnsafeRawBufferPointer) -> Appended {
        let resuming: (position: Int, fields: Int) = count > 0 ? sharedFields(entry) : (0, 0)
        if count > 0, let tail = sharedTail(entry, after: resuming.position),
           let appended = appendSharingTail(entry, resuming: resuming, tail: tail) {
            return appended
        }
        let rowStart = numbers.count, talliesStart = tallies.count
        var sink = RowSink(settingKinds: count == 0, tallies: [], talliesStart: talliesStart)
        let parsed = parse(entry, rules: columns, resuming: resuming, into: &sink)
        guard let parsed, !sink.mixed else {
            numbers.removeSubrange(rowStart...)
            tallies.removeSubrange(talliesStart...)
            if count == 0 { for index in kinds.indices { kinds[index] = nil } }
            return parsed == nil ? .notAnEntry : .mixed
        }
        let name: String?
        if let bytes = sink.hostnameBytes {
            name = hostname(UnsafeRawBufferPointer(rebasing: entry[bytes]))
            previousFieldsEndFromEnd = entry.count - bytes.lowerBound + 1
        } else {
            // No hostname, or the text parser read the entry: its fields end at its first newline.
            name = parsed
            previousFieldsEndFromEnd = parsed == nil ? 0 : entry.count - (entry.firstIndex(of: UInt8(ascii: "\n")) ?? entry.count)
        }
        return added(entry, hostname: name)
    }

    /// The entry appended when it ends as the previous one does, hostname and all, from the
    /// `;` at `tail.cut` on: only the fields between the shared head and that tail are parsed
    /// (a site's runs mostly differ in a few measured figures in the middle), the rest are the
    /// previous row's values. Nil, with nothing appended, when the fast parser does not take
    /// the middle as it is: the caller then parses the whole entry.
    private mutating func appendSharingTail(
        _ entry: UnsafeRawBufferPointer, resuming: (position: Int, fields: Int), tail: (cut: Int, fields: Int)
    ) -> Appended? {
        let rowStart = numbers.count, talliesStart = tallies.count, parsedFields = columns - tail.fields
        var sink = RowSink(settingKinds: false, tallies: [], talliesStart: talliesStart)
        let parsed = parse(UnsafeRawBufferPointer(rebasing: entry[..<tail.cut]), rules: parsedFields, resuming: resuming, into: &sink)
        // The middle holds no newline (`parsed` is `.some(nil)`): the entry's hostname is then
        // the shared one, whatever bytes a hostname may hold.
        guard case .some(.none) = parsed, sink.hostnameBytes == nil, !sink.mixed, !sink.wasReset else {
            numbers.removeSubrange(rowStart...)
            tallies.removeSubrange(talliesStart...)
            return nil
        }
        let width = resolutionColumns
        for column in parsedFields..<columns where kinds[column] == .resolution {
            tallies.append(tallies[(count - 1) * width + resolutionIndex(column)])
        }
        return added(entry, hostname: previousHostname)
    }

    /// Parses the fields of `entry` after `resuming` into a new row that starts as a copy of the
    /// previous one, the DNS tallies of the shared head copied first; the sink says what came of it.
    private mutating func parse(
        _ entry: UnsafeRawBufferPointer, rules: Int, resuming: (position: Int, fields: Int), into sink: inout RowSink
    ) -> String?? {
        let rowStart = numbers.count
        numbers.append(contentsOf: repeatElement(0, count: stride))
        if resuming.fields > 0 {
            let width = resolutionColumns
            for index in 0..<kinds[..<resuming.fields].count(where: { $0 == .resolution }) {
                tallies.append(tallies[(count - 1) * width + index])
            }
        }
        let copiesPrevious = count > 0, stride = self.stride
        sink.tallies = tallies
        sink.next = resuming.fields
        tallies = []
        let parsed = kinds.withUnsafeMutableBufferPointer { kinds in
            numbers.withUnsafeMutableBufferPointer { all in
                if copiesPrevious {
                    (all.baseAddress! + rowStart).update(from: all.baseAddress! + rowStart - stride, count: stride)
                }
                sink.kinds = kinds
                sink.row = UnsafeMutableBufferPointer(rebasing: all[rowStart...])
                return WindowEntry.parse(utf8: entry, rules: rules, resuming: resuming, into: &sink) { $0.reset() }
            }
        }
        // Moved back, not shared: a copy left in the sink would make the next append copy them all.
        tallies = sink.tallies
        sink.tallies = []
        return parsed
    }

    /// Counts the new row in and remembers its entry for the next one.
    private mutating func added(_ entry: UnsafeRawBufferPointer, hostname: String?) -> Appended {
        count += 1
        previousEntry.removeAll(keepingCapacity: true)
        previousEntry.append(contentsOf: entry)
        previousHostname = hostname
        return .added(hostname: hostname)
    }

    /// The fields `entry` ends with that are the previous entry's, byte for byte, with the
    /// whole hostname: where the `;` before the first of them is and how many they are. Nil
    /// when the shared end does not reach back past a `;` (or not past the hostname). Only
    /// bytes from `start` on are compared, where the fields the head did not share begin.
    private func sharedTail(_ entry: UnsafeRawBufferPointer, after start: Int) -> (cut: Int, fields: Int)? {
        previousEntry.withUnsafeBytes { previous -> (cut: Int, fields: Int)? in
            let limit = min(entry.count, previous.count) - start
            var shared = 0
            while shared + 8 <= limit,
                  entry.loadUnaligned(fromByteOffset: entry.count - shared - 8, as: UInt64.self)
                    == previous.loadUnaligned(fromByteOffset: previous.count - shared - 8, as: UInt64.self) {
                shared += 8
            }
            while shared < limit, entry[entry.count - shared - 1] == previous[previous.count - shared - 1] { shared += 1 }
            // The hostname must be shared whole: then the fields end where the previous entry's did.
            guard shared > previousFieldsEndFromEnd else { return nil }
            let fieldsEnd = entry.count - previousFieldsEndFromEnd
            guard let cut = (entry.count - shared..<fieldsEnd).first(where: { entry[$0] == UInt8(ascii: ";") }) else { return nil }
            let fields = (cut..<fieldsEnd).count { entry[$0] == UInt8(ascii: ";") }
            return fields < columns ? (cut, fields) : nil
        }
    }

    /// The hostname of these bytes: the last one made when they are its bytes (a site's runs
    /// mostly name one host), else a new string.
    private mutating func hostname(_ bytes: UnsafeRawBufferPointer) -> String {
        if let lastHostname, bytes.elementsEqual(lastHostname.bytes) { return lastHostname.name }
        let name = String(decoding: bytes, as: UTF8.self)
        lastHostname = (Array(bytes), name)
        return name
    }

    /// The fields `entry` begins with that are the previous entry's, byte for byte, each
    /// with its `;`: how many, and where the next field starts.
    private func sharedFields(_ entry: UnsafeRawBufferPointer) -> (position: Int, fields: Int) {
        previousEntry.withUnsafeBytes { previous in
            // The first difference, eight bytes at a time, then byte by byte.
            let length = min(entry.count, previous.count)
            var common = 0
            while common + 8 <= length,
                  entry.loadUnaligned(fromByteOffset: common, as: UInt64.self)
                    == previous.loadUnaligned(fromByteOffset: common, as: UInt64.self) {
                common += 8
            }
            while common < length, entry[common] == previous[common] { common += 1 }
            // The fields whole in the common part: its `;`s up to the newline, counted eight
            // bytes at a time (a byte-by-byte loop here was a tenth of a preview's parsing).
            var fields = 0, position = 0, index = 0
            while index + 8 <= common {
                let word = entry.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                guard Self.bytes(equalTo: UInt8(ascii: "\n"), in: word) == 0 else { break }
                let separators = Self.bytes(equalTo: UInt8(ascii: ";"), in: word)
                if separators != 0 {
                    fields += separators.nonzeroBitCount
                    position = index + (63 - separators.leadingZeroBitCount) / 8 + 1
                }
                index += 8
            }
            while index < common {
                let byte = entry[index]
                if byte == UInt8(ascii: "\n") { break }
                if byte == UInt8(ascii: ";") {
                    fields += 1
                    position = index + 1
                }
                index += 1
            }
            return (position, min(fields, columns - 1))
        }
    }

    /// A word with the high bit of each of its bytes (little-endian) that equals `byte` set, and
    /// no other bit: exact, with no carry from one byte into the next.
    @inline(__always)
    private static func bytes(equalTo byte: UInt8, in word: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let differences = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return ~(((differences & low7) &+ low7) | differences | low7)
    }

    /// Run `run`'s observation of rule `column`, as it was parsed.
    func observation(run: Int, column: Int) -> RuleObservation {
        let base = run * stride + column * Self.slots
        switch kinds[column] {
        case .route:
            return .route(runsTested: Int(numbers[base]), runsReached: Int(numbers[base + 1]),
                          probesMatched: Int(numbers[base + 2]), probesFailed: Int(numbers[base + 3]))
        case .condition: return .condition(runsKnown: Int(numbers[base]), runsWithCondition: Int(numbers[base + 1]))
        case .udpTimeout: return .udpTimeout(udpProbe(at: base))
        case .metric: return .metric(numbers[base] == 0 ? nil : numbers[base + 1])
        case .bandwidth: return .bandwidth(numbers[base] == 0 ? nil : .init(downKbps: numbers[base + 1], upKbps: numbers[base + 2]))
        case .resolution: return .resolution(tallies[run * resolutionColumns + resolutionIndex(column)])
        case nil: return .metric(nil)
        }
    }

    private func udpProbe(at base: Int) -> ProbeResult.UDPTimeoutProbe? {
        guard numbers[base] != 0 else { return nil }
        return .init(lowerBoundS: numbers[base + 1], upperBoundS: numbers[base] == 3 ? numbers[base + 2] : nil, probeMaxS: numbers[base + 3])
    }

    private var resolutionColumns: Int { kinds.count { $0 == .resolution } }
    private func resolutionIndex(_ column: Int) -> Int { kinds[..<column].count { $0 == .resolution } }

    /// `ObservationCombiner.combine` of rule `column` over the runs from `start` on, and its
    /// `Confidence` at `now` (`finishedAt` rising, so the newest contributing run is the last one).
    func combined(column: Int, from start: Int, finishedAt: [Date], now: Date) -> (RuleObservation, Confidence) {
        var samples = 0, first = -1, last = -1
        func contributes(_ run: Int) {
            samples += 1
            if first < 0 { first = run }
            last = run
        }
        let offset = column * Self.slots
        let observation: RuleObservation
        switch kinds[column] {
        case .route:
            var tested = 0, reached = 0, matched = 0, failed = 0
            for run in start..<count {
                let base = run * stride + offset
                if numbers[base] > 0 { contributes(run) }
                tested += Int(numbers[base]); reached += Int(numbers[base + 1])
                matched += Int(numbers[base + 2]); failed += Int(numbers[base + 3])
            }
            observation = .route(runsTested: tested, runsReached: reached, probesMatched: matched, probesFailed: failed)
        case .condition:
            var known = 0, bad = 0
            for run in start..<count {
                let base = run * stride + offset
                if numbers[base] > 0 { contributes(run) }
                known += Int(numbers[base]); bad += Int(numbers[base + 1])
            }
            observation = .condition(runsKnown: known, runsWithCondition: bad)
        case .udpTimeout:
            // The run with the median lower bound, ties in run order (`ObservationCombiner`).
            var probes: [(Double, Int)] = []
            for run in start..<count where numbers[run * stride + offset] != 0 {
                probes.append((numbers[run * stride + offset + 1], run))
                contributes(run)
            }
            probes.sort { $0 < $1 }
            observation = .udpTimeout(probes.isEmpty ? nil : udpProbe(at: probes[(probes.count - 1) / 2].1 * stride + offset))
        case .metric:
            var values: [Double] = []
            values.reserveCapacity(count - start)
            for run in start..<count where numbers[run * stride + offset] != 0 {
                values.append(numbers[run * stride + offset + 1])
                contributes(run)
            }
            // Sorted where they are: the column's values are this call's own.
            observation = .metric(values.withUnsafeMutableBufferPointer { Statistics.median($0) })
        case .bandwidth:
            var ups: [Double] = [], downs: [Double] = []
            for run in start..<count where numbers[run * stride + offset] != 0 {
                downs.append(numbers[run * stride + offset + 1]); ups.append(numbers[run * stride + offset + 2])
                contributes(run)
            }
            if let up = Statistics.percentile(ups, ObservationCombiner.bandwidthPercentile),
               let down = Statistics.percentile(downs, ObservationCombiner.bandwidthPercentile) {
                observation = .bandwidth(.init(downKbps: down, upKbps: up))
            } else {
                observation = .bandwidth(nil)
            }
        case .resolution:
            let width = resolutionColumns, index = resolutionIndex(column)
            var total = ResolutionTally()
            for run in start..<count {
                let tally = tallies[run * width + index]
                if tally.runsKnown > 0 { contributes(run) }
                total.add(tally)
            }
            observation = .resolution(total)
        case nil:
            observation = .metric(nil)
        }
        func age(_ run: Int) -> Double? { run < 0 ? nil : max(0, now.timeIntervalSince(finishedAt[run])) }
        return (observation, Confidence(samples: samples, newestAgeS: age(last), oldestAgeS: age(first)))
    }
}

/// Writes an entry's observations into one row of an `ObservationTable`, rule `i` at slot `4i`,
/// through the table's storage lent for the parse.
private struct RowSink: EntryFieldSink {
    var kinds = UnsafeMutableBufferPointer<ObservationTable.Kind?>(start: nil, count: 0)
    /// The table's first run: it sets each rule's kind.
    let settingKinds: Bool
    var tallies: [ResolutionTally]
    let talliesStart: Int
    var row = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    var next = 0
    var mixed = false
    /// Whether the fast path gave up part way and the text parser read the entry.
    var wasReset = false
    /// Where the fast path found the hostname in the entry; the table makes the string.
    var hostnameBytes: Range<Int>?

    init(settingKinds: Bool, tallies: [ResolutionTally] = [], talliesStart: Int) {
        self.settingKinds = settingKinds
        self.tallies = tallies
        self.talliesStart = talliesStart
    }

    /// Records where the hostname is; the string handed back is not used (the table makes it,
    /// or reuses the last one, from `hostnameBytes`).
    mutating func hostname(in entry: UnsafeRawBufferPointer, from start: Int) -> String {
        hostnameBytes = start..<entry.count
        return ""
    }

    @inline(__always)
    mutating func add(_ observation: RuleObservation) {
        let column = next
        next += 1
        guard column < kinds.count, !mixed else { return }
        let kind: ObservationTable.Kind
        switch observation {
        case .route: kind = .route
        case .condition: kind = .condition
        case .udpTimeout: kind = .udpTimeout
        case .metric: kind = .metric
        case .bandwidth: kind = .bandwidth
        case .resolution: kind = .resolution
        }
        if settingKinds, kinds[column] == nil { kinds[column] = kind } else if kinds[column] != kind { mixed = true; return }
        let base = column * ObservationTable.slots
        switch observation {
        case let .route(tested, reached, matched, failed):
            // Exactly a double: a count beyond 2^53 would not read back the same.
            guard tested.magnitude <= 1 << 53, reached.magnitude <= 1 << 53, matched.magnitude <= 1 << 53,
                  failed.magnitude <= 1 << 53 else { mixed = true; return }
            row[base] = Double(tested); row[base + 1] = Double(reached); row[base + 2] = Double(matched); row[base + 3] = Double(failed)
        case let .condition(known, bad):
            guard known.magnitude <= 1 << 53, bad.magnitude <= 1 << 53 else { mixed = true; return }
            row[base] = Double(known); row[base + 1] = Double(bad)
        case let .udpTimeout(probe):
            guard let probe else { row[base] = 0; return }
            row[base] = probe.upperBoundS == nil ? 1 : 3
            row[base + 1] = probe.lowerBoundS; row[base + 2] = probe.upperBoundS ?? 0; row[base + 3] = probe.probeMaxS
        case let .metric(value):
            row[base] = value == nil ? 0 : 1
            row[base + 1] = value ?? 0
        case let .bandwidth(probe):
            row[base] = probe == nil ? 0 : 1
            row[base + 1] = probe?.downKbps ?? 0; row[base + 2] = probe?.upKbps ?? 0
        case let .resolution(tally):
            tallies.append(tally)
        }
    }

    /// Forgets what was written of this run (the fast parser gave up; the text parser follows).
    mutating func reset() {
        next = 0
        mixed = false
        wasReset = true
        hostnameBytes = nil
        tallies.removeSubrange(talliesStart...)
        if settingKinds { for index in kinds.indices { kinds[index] = nil } }
        for index in row.indices { row[index] = 0 }
    }
}
