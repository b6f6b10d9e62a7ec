import Foundation
import Testing
@testable import ReadinessApp

@Suite struct CursorTests {
    @Test(arguments: ["3f2b8c1e-6a4d-4e0b-9c57-1d2e3f4a5b6c", "1842", ""])
    func anIssuedCursorDecodesToItsKey(key: String) {
        let cursor = Cursor.encode(key)
        #expect(cursor.hasPrefix("c1."))
        #expect(!cursor.contains("=") && !cursor.contains("+") && !cursor.contains("/"), "base64url, unpadded")
        #expect(Cursor.decode(cursor) == key)
    }

    @Test func cursorsLongerThanTheSpecsMaximumAreRefused() {
        // Unpadded base64url of 381 bytes is 508 characters; of 382 bytes, 510.
        let longest = Cursor.encode(String(repeating: "k", count: 381))
        let tooLong = Cursor.encode(String(repeating: "k", count: 382))
        #expect(longest.utf8.count == 511 && tooLong.utf8.count == 513)
        #expect(Cursor.decode(longest) == String(repeating: "k", count: 381))
        #expect(Cursor.decode(tooLong) == nil)
    }

    @Test(arguments: ["M2YyYjhj", "c2.M2YyYjhj", "c1.!!!", "c1.gA"])
    func stringsThisServiceDidNotIssueAreRefused(cursor: String) {
        #expect(Cursor.decode(cursor) == nil)
    }
}
