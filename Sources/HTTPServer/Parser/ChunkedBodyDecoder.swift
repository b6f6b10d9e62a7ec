/// Incremental decoder for the chunked transfer coding (RFC 9112 §7.1).
///
/// The body limit is checked against each chunk-size before its data is read, so an
/// oversized body is refused without buffering the excess.
struct ChunkedBodyDecoder {
    private enum State {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    private var state = State.size
    private let limits: HTTPLimits
    /// A chunk-size line with extensions; generous, but it stops unbounded extension streams.
    static let maxChunkLineLength = 4096

    init(limits: HTTPLimits) {
        self.limits = limits
    }

    var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Consumes what it can from `bytes`, appending data to `body`. Returns bytes consumed.
    mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, into body: inout [UInt8], bodyLimit: Int) throws -> Int {
        var index = 0
        while index < bytes.count {
            switch state {
            case .size:
                guard let lf = lineEnd(bytes, from: index) else {
                    if bytes.count - index > Self.maxChunkLineLength {
                        throw HTTPParseError(.badRequest, "The chunk-size line is too long.")
                    }
                    return index
                }
                let size = try parseChunkLine(UnsafeBufferPointer(rebasing: bytes[index...lf]))
                index = lf + 1
                if size == 0 {
                    state = .trailers
                } else {
                    guard body.count + size <= bodyLimit else {
                        throw HTTPParseError(.contentTooLarge, "The request body is larger than \(bodyLimit) bytes.")
                    }
                    state = .data(remaining: size)
                }
            case .data(let remaining):
                let take = min(remaining, bytes.count - index)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + take)]))
                index += take
                state = remaining == take ? .dataEnd : .data(remaining: remaining - take)
            case .dataEnd:
                // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
                guard bytes.count - index >= 2 else { return index }
                guard bytes[index] == 0x0D, bytes[index + 1] == 0x0A else {
                    throw HTTPParseError(.badRequest, "Chunk data is not followed by CRLF.")
                }
                index += 2
                state = .size
            case .trailers:
                guard let end = trailerSectionEnd(bytes, from: index) else {
                    if bytes.count - index > limits.maxHeaderSectionSize {
                        throw HTTPParseError(.requestHeaderFieldsTooLarge, "The trailer section is too large.")
                    }
                    return index
                }
                // Trailers are validated like header fields and then discarded (RFC 9112 §7.1.2
                // allows a recipient to drop them); none of ours change request semantics.
                let section = UnsafeBufferPointer(rebasing: bytes[index...end])
                try RequestHeadParser(limits: limits).forEachFieldLine(section, limit: limits.maxHeaderCount) { _, _ in }
                index = end + 1
                state = .done
            case .done:
                return index
            }
        }
        return index
    }

    /// chunk-size [ chunk-ext ] CRLF; `line` ends with the LF.
    private func parseChunkLine(_ line: UnsafeBufferPointer<UInt8>) throws -> Int {
        guard line.count >= 2, line[line.count - 2] == 0x0D else {
            throw HTTPParseError(.badRequest, "A chunk-size line must end with CRLF.")
        }
        let content = UnsafeBufferPointer(rebasing: line[0..<(line.count - 2)])
        var index = 0
        var size = 0
        while index < content.count, let digit = hexValue(content[index]) {
            // 15 hex digits stay below Int.max; more is an overflow attack, not a real body.
            guard index < 15 else { throw HTTPParseError(.badRequest, "The chunk size is too large.") }
            size = size << 4 | Int(digit)
            index += 1
        }
        guard index > 0 else { throw HTTPParseError(.badRequest, "The chunk size is not hexadecimal.") }
        try ChunkExtensions.validate(UnsafeBufferPointer(rebasing: content[index...]))
        return size
    }

    private func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == 0x0A { return index }
            index += 1
        }
        return nil
    }

    /// Index of the LF ending the trailer section (an empty line), or nil if incomplete.
    private func trailerSectionEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var lineStart = start
        while let lf = lineEnd(bytes, from: lineStart) {
            if lf == lineStart + 1, bytes[lineStart] == 0x0D { return lf }
            if lf == lineStart { return lf }
            lineStart = lf + 1
        }
        return nil
    }
}
