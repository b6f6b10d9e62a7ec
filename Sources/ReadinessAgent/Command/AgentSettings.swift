import HTTPClient
import Foundation
import SystemCrypto

/// Everything one invocation needs, after flags, environment and config file are merged
/// (flags win, then the environment, then the file).
public struct AgentSettings: Sendable {
    public enum Schedule: Sendable, Equatable {
        case once
        case every(seconds: Int)
    }

    public var server: ServerURL
    /// The bearer token: never printed, never logged.
    public var token: String
    public var schedule: Schedule
    public var dryRun: Bool
    public var spool: ResultSpool
    public var latencySamples: Int?
    public var latencyIntervalMs: Int?
    /// Each direction of the bandwidth probe is cut off after this long.
    public var bandwidthSeconds: Double
    /// Caps the UDP idle-timeout probe (and so the run's length); nil: the plan's maximum.
    public var udpTimeoutMaxS: Int?
    public var trust: TLSTrust
    public var quiet: Bool

    /// 8 s per direction: long enough to leave TCP slow start at tens of Mbit/s, short
    /// enough that a run on a metered link moves a bounded amount of data.
    public static let defaultBandwidthSeconds = 8.0

    /// Merges `flags` over `environment` over the config file (read with `readFile`).
    public static func resolve(
        flags: AgentFlags, environment: [String: String],
        readFile: (String) -> Data? = { FileManager.default.contents(atPath: $0) }
    ) throws -> AgentSettings {
        var file = AgentConfigFile()
        if let path = flags.config {
            guard let data = readFile(path) else { throw AgentFailure.usage("cannot read config file \(path)") }
            file = try AgentConfigFile.parse(data, path: path)
        }
        guard let serverText = flags.server ?? file.server else {
            throw AgentFailure.usage("no server: pass --server URL (or \"server\" in the config file)")
        }
        guard let server = ServerURL(serverText) else {
            throw AgentFailure.usage("--server must be an http:// or https:// URL, not \(serverText)")
        }
        let token = try resolveToken(flags: flags, file: file, environment: environment, readFile: readFile)

        let once = flags.once || (flags.every == nil && file.once == true)
        let everyText = flags.every ?? (flags.once ? nil : file.every)
        if flags.once && flags.every != nil { throw AgentFailure.usage("--once and --every exclude each other") }
        let schedule: Schedule
        if let everyText, !once {
            guard let seconds = ScheduleDuration.parse(everyText) else {
                throw AgentFailure.usage("--every must be a duration such as 90s, 15m or 1h, not \(everyText)")
            }
            guard seconds >= ScheduleDuration.minimumSeconds else {
                throw AgentFailure.usage("--every must be at least \(ScheduleDuration.minimumSeconds)s")
            }
            schedule = .every(seconds: seconds)
        } else {
            schedule = .once
        }

        let samples = flags.latencySamples ?? file.latencySamples
        if let samples, !(1...10_000).contains(samples) { throw AgentFailure.usage("--latency-samples must be 1–10000") }
        let interval = flags.latencyIntervalMs ?? file.latencyIntervalMs
        if let interval, !(1...60_000).contains(interval) { throw AgentFailure.usage("--latency-interval-ms must be 1–60000") }
        let bandwidth = flags.bandwidthSeconds ?? file.bandwidthSeconds ?? defaultBandwidthSeconds
        guard bandwidth >= 0, bandwidth <= 600 else { throw AgentFailure.usage("--bandwidth-seconds must be 0–600 (0 skips the probe)") }
        let udpMax = flags.udpTimeoutMaxS ?? file.udpTimeoutMaxS
        if let udpMax, udpMax < 0 { throw AgentFailure.usage("--udp-timeout-max-s must not be negative (0 skips the probe)") }

        let spoolPath = flags.spool ?? file.spool
        let spool = ResultSpool(directory: spoolPath.map { URL(fileURLWithPath: $0) } ?? ResultSpool.defaultDirectory(environment: environment))
        let trust: TLSTrust = (flags.caFile ?? file.caFile).map(TLSTrust.caFile) ?? .system
        return AgentSettings(
            server: server, token: token, schedule: schedule, dryRun: flags.dryRun || file.dryRun == true, spool: spool,
            latencySamples: samples, latencyIntervalMs: interval, bandwidthSeconds: bandwidth, udpTimeoutMaxS: udpMax,
            trust: trust, quiet: flags.quiet || file.quiet == true)
    }

    /// `--token`, else `--token-file`, else `READINESS_AGENT_TOKEN`, else the file's `token`,
    /// else its `token_file`. A token file holds the token and optional trailing whitespace.
    static func resolveToken(
        flags: AgentFlags, file: AgentConfigFile, environment: [String: String], readFile: (String) -> Data?
    ) throws -> String {
        func fromFile(_ path: String) throws -> String {
            guard let data = readFile(path) else { throw AgentFailure.usage("cannot read token file \(path)") }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw AgentFailure.usage("token file \(path) is empty") }
            return token
        }
        let token: String
        if let value = flags.token {
            token = value
        } else if let path = flags.tokenFile {
            token = try fromFile(path)
        } else if let value = environment["READINESS_AGENT_TOKEN"], !value.isEmpty {
            token = value
        } else if let value = file.token {
            token = value
        } else if let path = file.tokenFile {
            token = try fromFile(path)
        } else {
            throw AgentFailure.usage("no token: pass --token, --token-file or set READINESS_AGENT_TOKEN")
        }
        // A token travels in a header line; anything that could end the line is refused.
        guard !token.isEmpty, token.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline && $0 != "\0" }) else {
            throw AgentFailure.usage("the token contains characters a bearer token cannot have")
        }
        return token
    }
}
