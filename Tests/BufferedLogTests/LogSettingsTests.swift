import Testing
@testable import BufferedLog

@Suite struct LogSettingsTests {
    @Test func commandLineOverridesFormatAndFile() throws {
        var settings = LogSettings()
        try settings.override(format: "JSON", file: "/var/log/readiness.log")
        #expect(settings == LogSettings(format: .json, destination: .file(path: "/var/log/readiness.log")))
        try settings.override(format: nil, file: "-")
        #expect(settings == LogSettings(format: .json, destination: .standardError))
    }

    @Test func rejectsAnUnknownFormatNamingTheOption() {
        var settings = LogSettings()
        #expect(throws: LogSettingsError.self) { try settings.override(format: "xml", file: nil) }
        do {
            try settings.override(format: "xml", file: nil)
        } catch {
            #expect(error.description == "--log-format: expected one of text, json, got 'xml'")
        }
    }

    @Test(arguments: ["", "-", "stderr"])
    func standardErrorSpellings(text: String) {
        #expect(LogSettings.destination(parsing: text) == .standardError)
    }

    @Test func openingAFileInAMissingDirectoryFailsAtStart() {
        #expect(throws: (any Error).self) { try LogDestination.file(path: "/nonexistent-dir/x.log").openSink() }
    }
}
