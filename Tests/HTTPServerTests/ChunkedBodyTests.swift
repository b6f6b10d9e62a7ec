import Testing
@testable import HTTPServer

@Suite struct ChunkedBodyTests {
    let harness = ParseHarness()
    let head = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"

    @Test func decodesChunksWithExtensionsAndTrailers() throws {
        let body = "5;name=value;flag\r\nhello\r\n6 ; q=\"a b\"\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n"
        let parsed = try #require(try harness.parse(Array((head + body).utf8)))
        #expect(String(decoding: parsed.body, as: UTF8.self) == "hello world")
        #expect(parsed.used == (head + body).utf8.count)
    }

    @Test func decodesChunksDeliveredOneByteAtATime() throws {
        var decoder = ChunkedBodyDecoder(limits: HTTPLimits())
        var body: [UInt8] = []
        var pending: [UInt8] = []
        for byte in Array("3\r\nabc\r\n0\r\n\r\n".utf8) {
            pending.append(byte)
            let used = try pending.withUnsafeBufferPointer { try decoder.decode($0, into: &body, bodyLimit: 100) }
            pending.removeFirst(used)
        }
        #expect(decoder.isComplete)
        #expect(body == Array("abc".utf8))
    }

    @Test func rejectsChunkLargerThanLimitBeforeBufferingIt() throws {
        var decoder = ChunkedBodyDecoder(limits: HTTPLimits())
        var body: [UInt8] = []
        #expect(throws: HTTPParseError.self) {
            _ = try Array("10000\r\n".utf8).withUnsafeBufferPointer { try decoder.decode($0, into: &body, bodyLimit: 10) }
        }
        #expect(body.isEmpty)
    }

    @Test(arguments: ["x\r\n", "-1\r\n", ";ext\r\n", "2;\r\nab\r\n", "2;a=\r\nab\r\n", "2;a=\"open\r\nab\r\n"])
    func rejectsBadChunkSizeLine(_ line: String) {
        #expect(harness.rejection(head + line + "0\r\n\r\n") == 400)
    }

    @Test func rejectsTrailerWithObsFold() {
        #expect(harness.rejection(head + "0\r\nX-T: a\r\n b\r\n\r\n") == 400)
    }
}
