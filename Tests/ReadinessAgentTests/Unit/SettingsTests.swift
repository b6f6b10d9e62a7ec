import Foundation
import Testing
@testable import ReadinessAgent

@Suite struct SettingsTests {
    func flags(_ configure: (inout AgentFlags) -> Void = { _ in }) -> AgentFlags {
        var flags = AgentFlags()
        flags.server = "https://readiness.example.com"
        flags.token = "tok"
        configure(&flags)
        return flags
    }

    func files(_ map: [String: String]) -> (String) -> Data? {
        { path in map[path].map { Data($0.utf8) } }
    }

    @Test func defaultsAreOnceWithEightSecondBandwidthAndTheXDGSpool() throws {
        let settings = try AgentSettings.resolve(flags: flags(), environment: ["XDG_STATE_HOME": "/var/state"])
        #expect(settings.schedule == .once)
        #expect(settings.bandwidthSeconds == 8)
        #expect(settings.spool.directory.path == "/var/state/readiness-agent/spool")
        #expect(settings.trust == .system)
        #expect(ResultSpool.defaultDirectory(environment: ["HOME": "/home/a"]).path == "/home/a/.local/state/readiness-agent/spool")
    }

    @Test func flagsOverrideTheConfigFileWhichFillsTheRest() throws {
        let config = #"{"server": "http://from-file:8080", "token_file": "/etc/token", "every": "15m", "latency_samples": 20, "bandwidth_seconds": 3}"#
        let settings = try AgentSettings.resolve(
            flags: flags { $0.config = "/etc/agent.json"; $0.token = nil; $0.latencySamples = 5 },
            environment: [:], readFile: files(["/etc/agent.json": config, "/etc/token": "secret-token\n"]))
        #expect(settings.server.description == "https://readiness.example.com")
        #expect(settings.token == "secret-token")
        #expect(settings.schedule == .every(seconds: 900))
        #expect(settings.latencySamples == 5)
        #expect(settings.bandwidthSeconds == 3)
    }

    @Test func onceOnTheCommandLineBeatsEveryInTheFile() throws {
        let settings = try AgentSettings.resolve(
            flags: flags { $0.config = "c"; $0.once = true }, environment: [:], readFile: files(["c": #"{"every": "1h"}"#]))
        #expect(settings.schedule == .once)
    }

    @Test func tokenPrecedenceIsFlagThenFileFlagThenEnvironmentThenConfig() throws {
        let read = files(["t": "from-file", "c": #"{"token": "from-config"}"#])
        #expect(try AgentSettings.resolve(flags: flags { $0.tokenFile = "t" }, environment: ["READINESS_AGENT_TOKEN": "env"], readFile: read).token == "tok")
        #expect(try AgentSettings.resolve(flags: flags { $0.token = nil; $0.tokenFile = "t" }, environment: ["READINESS_AGENT_TOKEN": "env"], readFile: read).token == "from-file")
        #expect(try AgentSettings.resolve(flags: flags { $0.token = nil; $0.config = "c" }, environment: ["READINESS_AGENT_TOKEN": "env"], readFile: read).token == "env")
        #expect(try AgentSettings.resolve(flags: flags { $0.token = nil; $0.config = "c" }, environment: [:], readFile: read).token == "from-config")
    }

    @Test(arguments: [("90s", 90), ("15m", 900), ("1h", 3600), ("1h30m", 5400), ("15", nil), ("m", nil), ("1d", nil), ("0s", nil)])
    func everyDurations(text: String, seconds: Int?) {
        #expect(ScheduleDuration.parse(text) == seconds)
    }

    /// Each usage error names what is wrong, and exits 64.
    @Test func usageErrorsNameTheFault() {
        let cases: [(String, (inout AgentFlags) -> Void)] = [
            ("--once and --every", { $0.once = true; $0.every = "15m" }),
            ("http:// or https:// URL", { $0.server = "ftp://x" }),
            ("no token", { $0.token = nil }),
            ("--every must be a duration", { $0.every = "soon" }),
            ("at least 10s", { $0.every = "5s" }),
            ("--latency-samples", { $0.latencySamples = 0 }),
            ("--bandwidth-seconds", { $0.bandwidthSeconds = -1 }),
            ("cannot read config file", { $0.config = "/nonexistent/agent.json" }),
            ("cannot read token file", { $0.token = nil; $0.tokenFile = "/nonexistent/token" }),
            ("no server", { $0.server = nil }),
        ]
        for (message, configure) in cases {
            do {
                _ = try AgentSettings.resolve(flags: flags(configure), environment: [:], readFile: { _ in nil })
                Issue.record("expected a usage error for \(message)")
            } catch let failure as AgentFailure {
                #expect(failure.exitCode == 64)
                #expect(failure.description.contains(message), "\(failure)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func configFileWithUnknownKeyOrWrongTypeIsRefused() {
        for (body, message) in [(#"{"servr": "x"}"#, "unknown key \"servr\""), (#"{"latency_samples": "many"}"#, "\"latency_samples\" has the wrong type"), ("[]", "not a JSON object")] {
            #expect(throws: AgentFailure.self) {
                do {
                    _ = try AgentSettings.resolve(flags: flags { $0.config = "c" }, environment: [:], readFile: files(["c": body]))
                } catch let failure as AgentFailure {
                    #expect(failure.description.contains(message), "\(failure)")
                    throw failure
                }
            }
        }
    }

    @Test func tokensThatCouldSplitAHeaderAreRefused() {
        #expect(throws: AgentFailure.self) {
            _ = try AgentSettings.resolve(flags: flags { $0.token = "abc\r\nX-Evil: 1" }, environment: [:])
        }
    }
}
