import Foundation

extension WindowEntry {
    /// `parse(_:rules:)` over the entry's UTF-8 bytes, without making a string of any field: a
    /// fleet preview reads millions of entries, and splitting them into substrings was most of
    /// the 20 µs a run its first version spent. The same grammar and the same values: integers are read digit by digit and
    /// decimals through the exact fast path below; anything else (a DNS field that names hosts,
    /// a number in exponent form or with more digits than a double holds exactly) is handed to
    /// the string parser, which stays the one definition.
    static func parse(utf8 bytes: [UInt8], rules: Int) -> (observations: [RuleObservation], hostname: String?)? {
        var observations: [RuleObservation] = []
        observations.reserveCapacity(rules)
        let hostname = bytes.withUnsafeBytes { parse(utf8: $0, rules: rules, into: &observations) }
        return hostname.map { (observations, $0) }
    }

    /// `parse(utf8:rules:)` into `observations` (emptied first, its storage kept). Nil when
    /// the bytes are not an entry of `rules` rules; else the hostname, itself nil when the
    /// entry names none.
    static func parse(utf8 bytes: UnsafeRawBufferPointer, rules: Int, into observations: inout [RuleObservation]) -> String?? {
        observations.removeAll(keepingCapacity: true)
        return parse(utf8: bytes, rules: rules, into: &observations) { $0.removeAll(keepingCapacity: true) }
    }

    /// `parse(utf8:rules:)` handing each rule's observation, in order, to `sink` (a fleet
    /// preview's columns take them without an array per run). When the fast path gives up
    /// part way, `reset` is called before the text parser's observations are handed over; on
    /// nil, the sink may hold part of the entry and the caller discards it.
    ///
    /// `resuming` skips the first `fields` fields, which end just before byte `position` (the
    /// caller has their observations: the same bytes as the run before's). The text parser,
    /// should the fast path give up, reads the whole entry after `reset`.
    @inline(__always)
    static func parse<Sink: EntryFieldSink>(
        utf8 bytes: UnsafeRawBufferPointer, rules: Int, resuming: (position: Int, fields: Int) = (0, 0),
        into sink: inout Sink, reset: (inout Sink) -> Void
    ) -> String?? {
        var reader = EntryBytes(bytes: bytes, position: resuming.position)
        if let hostname = reader.observations(rules: rules, skipped: resuming.fields, into: &sink) { return hostname }
        reset(&sink)
        guard let (parsed, hostname) = parse(Substring(decoding: bytes, as: UTF8.self), rules: rules) else { return nil }
        for observation in parsed { sink.add(observation) }
        return .some(hostname)
    }
}

/// Takes an entry's observations one rule at a time, in rule order, and makes its hostname.
protocol EntryFieldSink {
    mutating func add(_ observation: RuleObservation)
    /// The hostname: the entry's bytes from `start` to its end, as UTF-8 (a sink may hand back
    /// the string it made for the same bytes before, or note where they are and make it later).
    mutating func hostname(in entry: UnsafeRawBufferPointer, from start: Int) -> String
}

extension EntryFieldSink {
    mutating func hostname(in entry: UnsafeRawBufferPointer, from start: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: entry[start...]), as: UTF8.self)
    }
}

extension Array: EntryFieldSink where Element == RuleObservation {
    mutating func add(_ observation: RuleObservation) { append(observation) }
}

/// A cursor over an entry's bytes.
private struct EntryBytes {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    /// The entry read on the fast path; nil for anything it does not take (the caller then
    /// parses the text, which decides whether the entry is one at all).
    @inline(__always)
    mutating func observations<Sink: EntryFieldSink>(rules: Int, skipped: Int = 0, into observations: inout Sink) -> String?? {
        var fields = skipped
        while let kind = next() {
            fields += 1
            switch kind {
            case UInt8(ascii: "r"):
                guard let a = integer(), take(","), let b = integer(), take(","),
                      let c = integer(), take(","), let d = integer() else { return nil }
                observations.add(.route(runsTested: a, runsReached: b, probesMatched: c, probesFailed: d))
            case UInt8(ascii: "c"):
                guard let a = integer(), take(","), let b = integer() else { return nil }
                observations.add(.condition(runsKnown: a, runsWithCondition: b))
            case UInt8(ascii: "u"):
                if atFieldEnd {
                    observations.add(.udpTimeout(nil))
                } else {
                    guard let lower = decimal(), take(","), let probeMax = decimal(), take(",") else { return nil }
                    var upper: Double?
                    if !atFieldEnd {
                        guard let value = decimal() else { return nil }
                        upper = value
                    }
                    observations.add(.udpTimeout(.init(lowerBoundS: lower, upperBoundS: upper, probeMaxS: probeMax)))
                }
            case UInt8(ascii: "m"):
                if atFieldEnd {
                    observations.add(.metric(nil))
                } else {
                    guard let value = decimal() else { return nil }
                    observations.add(.metric(value))
                }
            case UInt8(ascii: "b"):
                if atFieldEnd {
                    observations.add(.bandwidth(nil))
                } else {
                    guard let down = decimal(), take(","), let up = decimal() else { return nil }
                    observations.add(.bandwidth(.init(downKbps: down, upKbps: up)))
                }
            case UInt8(ascii: "d"):
                // Hosts (`,host=runs`) are percent-encoded text: the string parser reads those.
                guard let known = integer(), take(","), let unresolved = integer(), atFieldEnd else { return nil }
                observations.add(.resolution(ResolutionTally(runsKnown: known, runsUnresolved: unresolved, hostRuns: [:])))
            default:
                return nil
            }
            guard atFieldEnd, fields <= rules else { return nil }
            if take(";") { continue }
            // The end of the line: the hostname follows a newline, else the entry ends here.
            guard fields == rules else { return nil }
            if take("\n") { return .some(observations.hostname(in: bytes, from: position)) }
            return isAtEnd ? .some(nil) : nil
        }
        return nil
    }

    /// Exact powers of ten: every one up to 10^22 is a double (a switch, not a static array:
    /// reading a static costs a call to check that it is initialised, every decimal of every run).
    private static func power(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    @inline(__always)
    var isAtEnd: Bool { position >= bytes.count }

    /// At a field's end: `;`, the newline before the hostname, or the end.
    @inline(__always)
    var atFieldEnd: Bool {
        isAtEnd || bytes[position] == UInt8(ascii: ";") || bytes[position] == UInt8(ascii: "\n")
    }

    @inline(__always)
    mutating func next() -> UInt8? {
        guard !isAtEnd else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    @inline(__always)
    mutating func take(_ byte: Unicode.Scalar) -> Bool {
        guard !isAtEnd, bytes[position] == UInt8(ascii: byte) else { return false }
        position += 1
        return true
    }

    /// A decimal integer as Swift writes one (`Int(_:)` reads it back).
    @inline(__always)
    mutating func integer() -> Int? {
        let negative = take("-")
        var value = 0, digits = 0
        while !isAtEnd, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(Int(bytes[position] - UInt8(ascii: "0")))
            guard !overflowTimes, !overflowSum else { return nil }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else { return nil }
        return negative ? -value : value
    }

    /// A decimal such as `21.5` or `-0.0`, when it is exactly `Double(text)`: at most 2^53 as an
    /// integer of its digits and at most 22 digits after the point, the value is that integer
    /// divided by a power of ten, both exact, so IEEE division rounds it once, correctly, as
    /// `Double(text)` does (Clinger's fast path). Nil otherwise, and the caller parses the text.
    @inline(__always)
    mutating func decimal() -> Double? {
        let start = position
        let negative = take("-")
        var mantissa: UInt64 = 0, digits = 0, fraction = 0, point = false
        while !isAtEnd {
            let byte = bytes[position]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                mantissa = mantissa &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
                digits += 1
                if point { fraction += 1 }
                guard digits <= 19 else { position = start; return nil }
            } else if byte == UInt8(ascii: "."), !point {
                point = true
            } else {
                break
            }
            position += 1
        }
        guard digits > 0, mantissa <= 1 << 53, fraction <= 22, atNumberEnd else { position = start; return nil }
        let value = Double(mantissa) / Self.power(fraction)
        return negative ? -value : value
    }

    /// After a number: a separator or the end (an exponent, `inf` or `nan` are not the fast path's).
    @inline(__always)
    private var atNumberEnd: Bool { atFieldEnd || bytes[position] == UInt8(ascii: ",") }
}
