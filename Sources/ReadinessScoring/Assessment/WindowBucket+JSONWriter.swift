import JSON
import Foundation

/// A bucket as the JSON its `Codable` conformance reads (the same members, so stored rows
/// decode either way), written by ``JSONWriter``: a busy site stores the bucket its upload
/// went into on every upload, and `JSONEncoder`'s generic containers were a tenth of the
/// server's CPU under `make bench-heavy-site`.
extension WindowBucket {
    public func jsonBytes() throws -> [UInt8] {
        try JSONWriter.document(capacity: 2048) { json in
            json.beginObject()
            json.member("index", index)
            json.member("runs", runs)
            json.member("newest", newest)
            json.member("oldest", oldest)
            json.key("hosts")
            json.counts(hosts)
            json.member("anonymousRuns", anonymousRuns)
            json.key("rules")
            json.beginArray()
            for rule in rules { rule.write(to: json) }
            json.endArray()
            json.endObject()
        }
    }
}

extension RuleSummary {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.key("counts")
        json.beginObject()
        json.member("a", counts.a)
        json.member("b", counts.b)
        json.member("c", counts.c)
        json.member("d", counts.d)
        json.endObject()
        json.member("contributors", contributors)
        json.memberIfPresent("newest", newest)
        json.memberIfPresent("oldest", oldest)
        json.key("values")
        values.write(to: json)
        json.key("downs")
        downs.write(to: json)
        json.memberIfPresent("probeMax", probeMax)
        json.member("anyUpperBound", anyUpperBound)
        json.key("resolution")
        json.beginObject()
        json.member("runsKnown", resolution.runsKnown)
        json.member("runsUnresolved", resolution.runsUnresolved)
        json.key("hostRuns")
        json.counts(resolution.hostRuns)
        json.endObject()
        json.endObject()
    }
}

extension LogBinSketch {
    func write(to json: JSONWriter) {
        json.beginObject()
        json.key("bins")
        json.beginArray()
        for bin in bins {
            json.beginObject()
            json.member("key", bin.key)
            json.member("count", bin.count)
            json.member("least", bin.least)
            json.member("greatest", bin.greatest)
            json.endObject()
        }
        json.endArray()
        json.member("count", count)
        json.endObject()
    }
}

extension JSONWriter {
    /// A `[String: Int]` as `JSONEncoder` writes it: an object (in key order, for stable bytes).
    func counts(_ map: [String: Int]) {
        beginObject()
        for key in map.keys.sorted() {
            self.key(key)
            int(map[key] ?? 0)
        }
        endObject()
    }
}
