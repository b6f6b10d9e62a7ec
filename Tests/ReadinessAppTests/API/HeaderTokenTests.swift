import Testing
@testable import ReadinessApp

/// The media-type and content-coding checks every upload passes, on bytes (RFC 9110 §8.3.1,
/// RFC 6839 §3.1): the same answers the Foundation trimming and lower-casing gave.
@Suite struct HeaderTokenTests {
    @Test(arguments: [
        "application/json", "Application/JSON", "application/json; charset=utf-8", " application/json ;charset=UTF-8",
        "\tapplication/json\t", "application/problem+json", "application/merge-patch+JSON; x=y", "+json",
    ])
    func acceptsJSONMediaTypes(_ value: String) {
        #expect(HeaderToken.isJSONMediaType(value))
    }

    @Test(arguments: [
        "", "text/plain", "application/jsonx", "application/json-seq", "application/ json", "application/xml; x=+json",
        "application/js on", ";application/json", "application/+jsonp",
    ])
    func rejectsOtherMediaTypes(_ value: String) {
        #expect(!HeaderToken.isJSONMediaType(value))
    }

    @Test func comparesCodingsIgnoringCaseAndSurroundingWhitespace() {
        #expect(HeaderToken.equalsTrimmed(" GZip ", "gzip"))
        #expect(HeaderToken.equalsTrimmed("X-GZIP", "x-gzip"))
        #expect(HeaderToken.equalsTrimmed("  ", ""))
        #expect(!HeaderToken.equalsTrimmed("gzip, br", "gzip"))
        #expect(!HeaderToken.equalsTrimmed("gzi", "gzip"))
        #expect(!HeaderToken.equalsTrimmed("identityx", "identity"))
    }
}
