import CZlib

/// Decompresses request bodies with the system's zlib, refusing to grow past a limit so a
/// small "zip bomb" cannot exhaust memory: output is produced 64 KiB at a time and the limit
/// is checked before each piece is kept.
public enum Inflater {
    /// The framing around the deflate data (RFC 1951).
    public enum Format: Sendable {
        /// RFC 1952: `Content-Encoding: gzip` (RFC 9110 §8.4.1.3).
        case gzip
        /// RFC 1950: `Content-Encoding: deflate` (RFC 9110 §8.4.1.2), a zlib stream.
        case zlib

        /// zlib's `windowBits`: a 32 KiB window, plus 16 for a gzip header.
        var windowBits: Int32 {
            switch self {
            case .gzip: 15 + 16
            case .zlib: 15
            }
        }
    }

    public enum Failure: Error, Sendable, Equatable {
        /// Not a stream of the format, or cut short.
        case corrupt
        /// The output would exceed the limit.
        case tooLarge
    }

    /// The decompressed bytes of `input`, at most `limit` of them.
    public static func inflate(_ input: [UInt8], format: Format = .gzip, limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // The macro `inflateInit2` is not visible to Swift; this is what it expands to.
        guard inflateInit2_(&stream, format.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, max(input.count * 4, 4096)))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status: Int32 = Z_OK
        // zlib only reads through `next_in` (it is not `const` for old compilers' sake): lent
        // in place, rather than a mutable copy of up to 16 MiB per body.
        try input.withUnsafeBufferPointer { (source) throws(Failure) in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while status != Z_STREAM_END {
                let produced = chunk.withUnsafeMutableBufferPointer { buffer -> Int in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return buffer.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else { throw .corrupt }
                if output.count + produced > limit { throw .tooLarge }
                output.append(contentsOf: chunk[0..<produced])
                // Input exhausted before the stream's end: a truncated body.
                if status == Z_OK && stream.avail_in == 0 && produced == 0 { throw .corrupt }
            }
        }
        return output
    }
}
