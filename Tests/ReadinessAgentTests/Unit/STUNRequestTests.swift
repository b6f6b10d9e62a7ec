import STUN
import Testing
@testable import ReadinessAgent

@Suite struct STUNRequestTests {
    @Test func reflectorRequestsArePaddedToTheirWireSize() throws {
        #expect(STUNExchange.request(paddedTo: STUNExchange.reflectorRequestSize).encoded().count == 128)
        let delayed = STUNExchange.request(answerAfterMs: 30_000, paddedTo: UDPIdleTimeoutProbe.requestSize)
        #expect(delayed.encoded().count == 512)
        #expect(try STUNMessage(decoding: delayed.encoded()).answerAfterMilliseconds == 30_000)
    }

    @Test func thirdPartyRequestsAreBareBindingRequests() {
        let request = STUNExchange.request()
        #expect(request.encoded().count == STUNMessage.headerSize)
        #expect(request.kind == .bindingRequest)
    }
}
