import JSON

/// A response value that writes itself with `JSONWriter`, byte for byte what `APIJSON.encoder`
/// writes for it (each conformance is held to that by a test). Foundation's encoder boxes
/// every value and sorts every object's keys: for a year of daily history (365 points) it was
/// over half the server's time on the request.
///
/// A `JSONObject` gets `write(to:)` and `encode(to:)` from its one member list, so declaring
/// it `JSONWritable` is all it takes (`Page` hands its items' writers to `PageShape`).
protocol JSONWritable: Encodable {
    func write(to json: JSONWriter)
    /// Bytes to reserve up front: enough for a typical document, so it is written in place.
    var estimatedJSONSize: Int { get }
}

extension JSONWritable {
    var estimatedJSONSize: Int { 1024 }

    /// The document, or nil when a figure is not finite (the caller then lets `APIJSON`
    /// refuse it as it always did).
    func jsonBytes() -> [UInt8]? {
        try? JSONWriter.document(capacity: estimatedJSONSize) { write(to: $0) }
    }
}
