import BufferedLog
import Testing
@testable import ReadinessApp

/// `READINESS_LOG_FORMAT` and `READINESS_LOG_FILE`: read, defaulted, and refused when malformed.
@Suite struct LogConfigurationTests {
    @Test func defaultsToTextOnStandardError() throws {
        #expect(try AppConfiguration(environment: [:]).log == LogSettings(format: .text, destination: .standardError))
    }

    @Test func readsFormatAndFile() throws {
        let configuration = try AppConfiguration(environment: [
            "READINESS_LOG_FORMAT": "json", "READINESS_LOG_FILE": "/var/log/readiness/readiness.log",
        ])
        #expect(configuration.log == LogSettings(format: .json, destination: .file(path: "/var/log/readiness/readiness.log")))
        #expect(try AppConfiguration(environment: ["READINESS_LOG_FILE": "-"]).log.destination == .standardError)
    }

    @Test func refusesAnUnknownFormatNamingTheVariable() {
        #expect {
            try AppConfiguration(environment: ["READINESS_LOG_FORMAT": "logfmt"])
        } throws: { error in
            (error as? ConfigurationError)?.variable == "READINESS_LOG_FORMAT"
        }
    }
}
