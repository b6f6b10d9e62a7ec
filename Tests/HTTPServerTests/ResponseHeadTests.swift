import Testing
@testable import HTTPServer
@testable import Sockets

/// The response writer sizes the head, then stores head and body in one reservation of the
/// connection's output buffer; these compare its bytes with what RFC 9112 §4 and §6 require.
@Suite struct ResponseHeadTests {
    static let date = Array("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n".utf8)

    private func written(
        _ response: HTTPResponse, close: Bool = false, keepAliveFor10: Bool = false, includeBody: Bool = true
    ) -> String {
        var out = OutputBuffer()
        ResponseHead.write(response, close: close, keepAliveFor10: keepAliveFor10, includeBody: includeBody,
                           date: Self.date, into: &out)
        return out.withUnsafeQueuedBytes { String(decoding: $0, as: UTF8.self) }
    }

    @Test func writesStatusFieldsLengthDateAndBody() {
        var response = HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: Array("{}".utf8))
        response.headers.add(name: "X-Request-Id", value: "abc")
        #expect(written(response) == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: abc\r\n"
            + "Content-Length: 2\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n{}")
    }

    @Test(arguments: HTTPStatus.phrases.keys.sorted())
    func everyNamedStatusHasItsLine(code: Int) throws {
        let line = try #require(ResponseHead.statusLine(code))
        #expect(String(decoding: UnsafeBufferPointer(start: line.utf8Start, count: line.utf8CodeUnitCount), as: UTF8.self)
            == "HTTP/1.1 \(code) \(HTTPStatus.phrases[code] ?? "")\r\n")
    }

    @Test func unnamedStatusGetsASanitisedLine() {
        let response = HTTPResponse(status: HTTPStatus(code: 299, reasonPhrase: "Odd\r\nX-Injected: 1"))
        #expect(written(response).hasPrefix("HTTP/1.1 299 OddX-Injected: 1\r\nContent-Length: 0\r\n"))
    }

    @Test func dropsFieldsThatCouldSplitTheResponse() {
        var response = HTTPResponse(status: .ok)
        response.headers.add(name: "X-Bad", value: "a\r\nSet-Cookie: stolen=1")
        response.headers.add(name: "Bad Name", value: "v")
        response.headers.add(name: "X-Good", value: "kept")
        let head = written(response)
        #expect(!head.contains("Set-Cookie"))
        #expect(!head.contains("Bad Name"))
        #expect(head.contains("\r\nX-Good: kept\r\n"))
    }

    @Test func dropsFieldsTheServerOwns() {
        let response = HTTPResponse(status: .ok, headers: [
            "content-length": "999", "Transfer-Encoding": "chunked", "CONNECTION": "upgrade", "Date": "yesterday",
            "X-Kept": "1",
        ], body: [0x61])
        #expect(written(response) == "HTTP/1.1 200 OK\r\nX-Kept: 1\r\nContent-Length: 1\r\n"
            + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\na")
    }

    @Test func headKeepsTheLengthButNotTheBody() {
        let response = HTTPResponse(status: .ok, body: Array("hello".utf8))
        #expect(written(response, includeBody: false)
            == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n")
    }

    @Test func noContentHasNeitherLengthNorBody() {
        let response = HTTPResponse(status: .noContent, body: Array("ignored".utf8))
        #expect(written(response) == "HTTP/1.1 204 No Content\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n")
    }

    @Test func connectionLines() {
        let response = HTTPResponse(status: .ok)
        #expect(written(response, close: true).contains("\r\nConnection: close\r\n"))
        #expect(written(response, keepAliveFor10: true).contains("\r\nConnection: keep-alive\r\n"))
        #expect(written(response, close: true, keepAliveFor10: true).contains("Connection: close"))
        #expect(!written(response).contains("Connection"))
    }

    @Test func receivedFieldsEchoedIntoAResponseAreWrittenAsReceived() throws {
        let parsed = try #require(try ParseHarness().parse(Array("GET / HTTP/1.1\r\nHost: x\r\nX-Echo:  a b \r\n\r\n".utf8)))
        let response = HTTPResponse(status: .ok, headers: parsed.request.headers)
        #expect(written(response).hasPrefix("HTTP/1.1 200 OK\r\nHost: x\r\nX-Echo: a b\r\nContent-Length: 0\r\n"))
    }

    @Test func largeBodiesGrowTheBufferAndStayInOrder() {
        let body = (0..<5000).map { UInt8(truncatingIfNeeded: $0) }
        var out = OutputBuffer()
        for _ in 0..<3 {
            ResponseHead.write(HTTPResponse(status: .ok, body: body), close: false, keepAliveFor10: false,
                               includeBody: true, date: Self.date, into: &out)
        }
        let bytes = out.withUnsafeQueuedBytes { Array($0) }
        let head = Array("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n".utf8) + Self.date + [13, 10]
        #expect(bytes == Array([head + body, head + body, head + body].joined()))
    }
}

@Suite struct OutputBufferTests {
    @Test func writerKeepsOnlyWhatItReportsWithinItsReservation() {
        var out = OutputBuffer()
        out.write(upTo: 8) { buffer in
            for index in buffer.indices { buffer[index] = UInt8(ascii: "a") + UInt8(index) }
            return 3
        }
        out.write(upTo: 2) { _ in 10 }  // over-reporting is clamped to the reservation
        let queued = out.withUnsafeQueuedBytes { Array($0) }
        let count = out.count
        #expect(queued.prefix(3) == [97, 98, 99])
        #expect(count == 5)
    }

    @Test func partialSendsLeaveTheRestQueuedAndADrainedBufferStartsOver() {
        var out = OutputBuffer()
        out.append(Array("hello world".utf8))
        out.markSent(6)
        let drainedEarly = out.isDrained
        let rest = out.withUnsafeQueuedBytes { String(decoding: $0, as: UTF8.self) }
        #expect(!drainedEarly)
        #expect(rest == "world")
        out.markSent(5)
        let drained = out.isDrained
        let count = out.count
        #expect(drained)
        #expect(count == 0)
        out.append(Array("next".utf8))
        let next = out.withUnsafeQueuedBytes { String(decoding: $0, as: UTF8.self) }
        #expect(next == "next")
    }

    @Test func aDrainedBufferThatGrewLargeIsFreed() {
        var out = OutputBuffer()
        out.append([UInt8](repeating: 1, count: OutputBuffer.retainedCapacity + 1))
        out.markSent(OutputBuffer.retainedCapacity + 1)
        let drained = out.isDrained
        let pending = out.withPending { _, _ in true }
        #expect(drained)
        #expect(pending == nil)
    }
}

@Suite struct ByteLevelTests {
    @Test(arguments: [0, 7, 10, 99, 100, 12_345, Int.max])
    func writesDecimals(value: Int) {
        var storage = [UInt8](repeating: 0, count: 32)
        let written = storage.withUnsafeMutableBufferPointer { buffer in
            var writer = ByteWriter(buffer)
            writer.putDecimal(value)
            return writer.position
        }
        #expect(String(decoding: storage[..<written], as: UTF8.self) == String(value))
    }

    @Test func copiesPiecesOfEveryShortLengthExactly() {
        let source = Array("0123456789abcdefghij".utf8)
        for length in 0...source.count {
            var storage = [UInt8](repeating: 0x2E, count: 24)
            let written = storage.withUnsafeMutableBufferPointer { buffer in
                var writer = ByteWriter(buffer)
                writer.put(0x3C)
                source.withUnsafeBufferPointer { writer.put(UnsafeBufferPointer(rebasing: $0[..<length])) }
                writer.put(0x3E)
                return writer.position
            }
            #expect(Array(storage[..<written]) == [0x3C] + source[..<length] + [0x3E], "length \(length)")
            #expect(storage[written...].allSatisfy { $0 == 0x2E }, "length \(length) wrote past its end")
        }
    }

    /// The word-at-a-time check must find a forbidden byte wherever it sits, in any length.
    @Test(arguments: [0x00, 0x01, 0x0A, 0x0D, 0x1F, 0x7F] as [UInt8])
    func fieldValueCheckFindsAControlAtEveryPosition(control: UInt8) {
        for length in 1...24 {
            for position in 0..<length {
                var value = [UInt8](repeating: UInt8(ascii: "v"), count: length)
                value[position] = control
                #expect(!value.withUnsafeBufferPointer { $0.isFieldValue() }, "length \(length) at \(position)")
            }
        }
    }

    @Test func fieldValueCheckAllowsTabSpaceVisibleAndObsText() {
        for length in 0...24 {
            let value = (0..<length).map { [0x09, 0x20, 0x7E, 0x80, 0xFF, 0x41][$0 % 6] as UInt8 }
            #expect(value.withUnsafeBufferPointer { $0.isFieldValue() }, "length \(length)")
        }
    }
}
