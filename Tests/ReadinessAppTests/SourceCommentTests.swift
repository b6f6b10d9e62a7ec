import Foundation
import Testing

/// Comments in `Sources` that send a reader to a test suite (`JSONWritableTests holds it to …`)
/// name one that exists: a renamed or deleted suite leaves the code claiming a check nobody runs.
@Suite struct SourceCommentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func swiftFiles(under folder: String) -> [URL] {
        let base = root.appendingPathComponent(folder)
        let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
        return (walker?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "swift" }
    }

    @Test func everyTestSuiteASourceCommentNamesExists() throws {
        let suite = try Regex(#"\b[A-Z][A-Za-z0-9]*Tests\b"#)
        var named: [String: String] = [:]
        for file in Self.swiftFiles(under: "Sources") {
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("//") {
                let comment = line[line.range(of: "//")!.lowerBound...]
                for match in comment.matches(of: suite) {
                    named[String(comment[match.range]), default: file.lastPathComponent] = file.lastPathComponent
                }
            }
        }
        #expect(!named.isEmpty, "the scan found no comment naming a suite; it reads nothing")
        let declared = try Set(Self.swiftFiles(under: "Tests").flatMap { file in
            try String(contentsOf: file, encoding: .utf8).matches(of: Regex(#"(struct|class|enum) ([A-Z][A-Za-z0-9]*Tests)\b"#))
                .map { String($0.output[2].substring ?? "") }
        })
        for (name, file) in named.sorted(by: { $0.key < $1.key }) {
            #expect(declared.contains(name), "\(file) names \(name), which no test declares")
        }
    }
}
