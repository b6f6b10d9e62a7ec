import Foundation
import Sockets
import SystemClock

/// Reads HTTP/1.1 responses (RFC 9112) from a stream: the head, then a body framed by
/// `Content-Length`, chunked coding (§7.1) or the end of the connection (§6.3).
public final class HTTPResponseReader {
    /// Response heads larger than this are refused; ours and proxies' are a few hundred bytes.
    public static let maximumHeadBytes = 64 * 1024

    private let stream: any ByteStream
    private var buffer: [UInt8] = []
    /// Bytes read from the stream so far: a kept-alive connection that fails before the count
    /// moves was closed by the server while idle, and the request may go again.
    public private(set) var bytesReceived = 0
    /// The last head's version was HTTP/1.0, whose connections end after the response unless
    /// it says `keep-alive` (RFC 9112 §9.3).
    public private(set) var lastHeadWasHTTP10 = false

    public init(stream: any ByteStream) {
        self.stream = stream
    }

    /// Status and fields; interim 1xx responses other than 101 are skipped (RFC 9110 §15.2).
    public func readHead(deadline: MonotonicTime) throws -> (status: Int, headers: [(name: String, value: String)]) {
        while true {
            let head = try readHeadOnce(deadline: deadline)
            if head.status >= 200 || head.status == 101 { return head }
        }
    }

    private func readHeadOnce(deadline: MonotonicTime) throws -> (status: Int, headers: [(name: String, value: String)]) {
        var end: Int?
        while true {
            end = Self.headEnd(in: buffer)
            if end != nil { break }
            guard buffer.count < Self.maximumHeadBytes else { throw HTTPClientError.malformedResponse("head too large") }
            let more = try readStream(maxCount: 16_384, deadline: deadline)
            guard !more.isEmpty else { throw HTTPClientError.malformedResponse("connection closed before the response head") }
            buffer += more
        }
        guard let end else { throw HTTPClientError.malformedResponse("no head") }
        let lines = FieldText.lines(buffer[..<end])
        let statusLine = String(decoding: lines[0], as: UTF8.self).split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]), (100...599).contains(status)
        else { throw HTTPClientError.malformedResponse("bad status line") }
        lastHeadWasHTTP10 = statusLine[0] == "HTTP/1.0"
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            return (String(decoding: line[..<colon], as: UTF8.self), String(decoding: FieldText.trimmed(line[(colon + 1)...]), as: UTF8.self))
        }
        buffer.removeSubrange(..<(end + 4))
        return (status, headers)
    }

    private static func headEnd(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// The whole body, up to `limit` bytes.
    public func readBody(headers: [(name: String, value: String)], status: Int, requestMethod: String, limit: Int, deadline: MonotonicTime) throws -> [UInt8] {
        var body: [UInt8] = []
        try streamBody(headers: headers, status: status, requestMethod: requestMethod, deadline: deadline) { chunk in
            body += chunk
            guard body.count <= limit else { throw HTTPClientError.bodyTooLarge(limit) }
            return true
        }
        return body
    }

    /// Hands the body to `consume` as it arrives; `consume` returns false to stop early (the
    /// connection is then unusable for another request).
    /// - Returns: whether the whole body was read.
    @discardableResult
    public func streamBody(
        headers: [(name: String, value: String)], status: Int, requestMethod: String, deadline: MonotonicTime,
        consume: ([UInt8]) throws -> Bool
    ) throws -> Bool {
        func field(_ name: String) -> String? {
            headers.first { FieldText.equalIgnoringASCIICase($0.name, name) }?.value
        }
        // RFC 9112 §6.3 rule 1: no body for HEAD, 1xx, 204 and 304.
        if requestMethod == "HEAD" || status < 200 || status == 204 || status == 304 { return true }
        if let coding = field("Transfer-Encoding"), coding.lowercased().contains("chunked") {
            return try readChunked(deadline: deadline, consume: consume)
        }
        if let lengthText = field("Content-Length") {
            guard let length = Int(FieldText.trimmed(lengthText[...])), length >= 0 else {
                throw HTTPClientError.malformedResponse("bad Content-Length")
            }
            var remaining = length
            while remaining > 0 {
                let chunk = try take(upTo: remaining, deadline: deadline)
                guard !chunk.isEmpty else { throw HTTPClientError.malformedResponse("body shorter than Content-Length") }
                remaining -= chunk.count
                if try !consume(chunk) { return false }
            }
            return true
        }
        while true {
            let chunk = try take(upTo: 65_536, deadline: deadline)
            if chunk.isEmpty { return true }
            if try !consume(chunk) { return false }
        }
    }

    /// Buffered bytes first, else one read from the stream; empty at end of stream.
    private func take(upTo count: Int, deadline: MonotonicTime) throws -> [UInt8] {
        if !buffer.isEmpty {
            let slice = Array(buffer.prefix(count))
            buffer.removeSubrange(..<slice.count)
            return slice
        }
        return try readStream(maxCount: min(count, 65_536), deadline: deadline)
    }

    private func readStream(maxCount: Int, deadline: MonotonicTime) throws -> [UInt8] {
        let bytes = try stream.read(maxCount: maxCount, deadline: deadline)
        bytesReceived += bytes.count
        return bytes
    }

    private func readLine(deadline: MonotonicTime) throws -> String {
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            guard buffer.count < 8192 else { throw HTTPClientError.malformedResponse("chunk line too long") }
            let more = try readStream(maxCount: 16_384, deadline: deadline)
            guard !more.isEmpty else { throw HTTPClientError.malformedResponse("connection closed inside a chunked body") }
            buffer += more
        }
    }

    /// RFC 9112 §7.1: size line (extensions ignored), data, CRLF; trailers after the last chunk.
    private func readChunked(deadline: MonotonicTime, consume: ([UInt8]) throws -> Bool) throws -> Bool {
        while true {
            let line = try readLine(deadline: deadline)
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(FieldText.trimmed(sizeText[...]), radix: 16), size >= 0 else {
                throw HTTPClientError.malformedResponse("bad chunk size")
            }
            if size == 0 {
                while try !readLine(deadline: deadline).isEmpty {}
                return true
            }
            var remaining = size
            while remaining > 0 {
                let chunk = try take(upTo: remaining, deadline: deadline)
                guard !chunk.isEmpty else { throw HTTPClientError.malformedResponse("connection closed inside a chunk") }
                remaining -= chunk.count
                if try !consume(chunk) { return false }
            }
            _ = try readLine(deadline: deadline)
        }
    }
}
