@testable import HTTPServer

/// Runs the connection's parsing steps (head, then body) over literal bytes without sockets.
struct ParseHarness {
    struct Parsed {
        var request: HTTPRequest
        var framing: RequestFraming
        var body: [UInt8]
        var used: Int
    }

    var limits = HTTPLimits()

    /// Parses one request from `bytes`; nil means more bytes are needed.
    func parse(_ bytes: [UInt8], bodyLimit: Int? = nil) throws -> Parsed? {
        var parser = RequestHeadParser(limits: limits)
        return try bytes.withUnsafeBufferPointer { all -> Parsed? in
            var used = 0
            var framing = RequestFraming()
            guard let request = try parser.parse(all, used: &used, framing: &framing) else { return nil }
            let limit = bodyLimit ?? limits.maxBodySize
            let rest = UnsafeBufferPointer(rebasing: all[used...])
            switch framing.body {
            case .none:
                return Parsed(request: request, framing: framing, body: [], used: used)
            case .length(let length):
                guard length <= limit else { throw HTTPParseError(.contentTooLarge, "too large") }
                guard rest.count >= length else { return nil }
                return Parsed(request: request, framing: framing, body: Array(rest[0..<length]), used: used + length)
            case .chunked:
                var decoder = ChunkedBodyDecoder(limits: limits)
                var body: [UInt8] = []
                let consumed = try decoder.decode(rest, into: &body, bodyLimit: limit)
                return decoder.isComplete ? Parsed(request: request, framing: framing, body: body, used: used + consumed) : nil
            }
        }
    }

    /// The status a request is rejected with, or nil if it parses.
    func rejection(_ text: String) -> Int? {
        do {
            _ = try parse(Array(text.utf8))
            return nil
        } catch let error as HTTPParseError {
            return error.status.code
        } catch {
            return -1
        }
    }
}
