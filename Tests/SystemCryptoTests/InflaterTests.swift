import SystemCrypto
import Testing

/// Request-body inflation: both content codings, the output limit (the "zip bomb" guard) and
/// streams that are corrupt, cut short or of the other format.
@Suite struct InflaterTests {
    private let text = Array("hello, readiness\n".utf8)
    /// Python's `gzip.compress(b"hello, readiness\n", mtime=0)`: a stream this code did not make.
    private let gzipped: [UInt8] = [
        31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 215, 81, 40, 74, 77, 76, 201, 204, 75, 45, 46, 230, 2, 0,
        74, 129, 68, 60, 17, 0, 0, 0,
    ]
    /// Python's `zlib.compress(b"hello, readiness\n")`.
    private let zlibbed: [UInt8] = [
        120, 156, 203, 72, 205, 201, 201, 215, 81, 40, 74, 77, 76, 201, 204, 75, 45, 46, 230, 2, 0, 56, 214, 6, 41,
    ]

    @Test func inflatesGzipAndZlibStreamsFromAnotherImplementation() throws {
        #expect(try Inflater.inflate(gzipped, format: .gzip, limit: 1024) == text)
        #expect(try Inflater.inflate(zlibbed, format: .zlib, limit: 1024) == text)
    }

    @Test(arguments: [Inflater.Format.gzip, .zlib])
    func roundTripsWhatDeflaterMakes(format: Inflater.Format) throws {
        let input = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 3) }
        let compressed = try Deflater.compress(input, format: format)
        #expect(compressed.count < input.count)
        #expect(try Inflater.inflate(compressed, format: format, limit: input.count) == input)
    }

    @Test func outputOfExactlyTheLimitPassesAndOneByteMoreIsTooLarge() throws {
        #expect(try Inflater.inflate(gzipped, limit: text.count) == text)
        #expect(throws: Inflater.Failure.tooLarge) { try Inflater.inflate(gzipped, limit: text.count - 1) }
    }

    /// 16 MiB + 1 KiB of zeros compresses to about 16 KiB; inflation stops at the limit.
    @Test func gzipBombBeyondTheLimitIsTooLarge() throws {
        let limit = 16 * 1024 * 1024
        let bomb = try Deflater.compress([UInt8](repeating: 0, count: limit + 1024))
        #expect(bomb.count < 64 * 1024)
        #expect(throws: Inflater.Failure.tooLarge) { try Inflater.inflate(bomb, limit: limit) }
    }

    @Test func corruptTruncatedEmptyOrOtherFormatStreamsAreCorrupt() {
        #expect(throws: Inflater.Failure.corrupt) { try Inflater.inflate(Array("not gzip at all".utf8), limit: 1024) }
        #expect(throws: Inflater.Failure.corrupt) { try Inflater.inflate(Array(gzipped.prefix(gzipped.count / 2)), limit: 1024) }
        #expect(throws: Inflater.Failure.corrupt) { try Inflater.inflate([], limit: 1024) }
        #expect(throws: Inflater.Failure.corrupt) { try Inflater.inflate(zlibbed, format: .gzip, limit: 1024) }
        #expect(throws: Inflater.Failure.corrupt) { try Inflater.inflate(gzipped, format: .zlib, limit: 1024) }
    }
}
