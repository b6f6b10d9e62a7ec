import ArgumentParser
import ReadinessAgent

/// The reference agent: probes this machine's network against the site's plan and uploads a
/// `probe-result/v1` document. `readiness-agent run --help` lists the flags.
@main
struct ReadinessAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readiness-agent",
        abstract: "Probe the network for Sococo readiness and upload the result.",
        version: AgentVersion.version,
        subcommands: [Run.self])
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch the probe plan, run it, upload the result.",
        discussion: """
            Exit codes: 0 uploaded (or printed with --dry-run); 64 bad flags or config; 65 a plan \
            it cannot run or a result the service rejects; 73 the spool cannot be written; 75 the \
            server is unreachable or asked to wait with Retry-After (the result waits in the spool, \
            and no run sends anything before that time); 77 the token was rejected.
            """)

    @Option(help: "The service's base URL, e.g. https://readiness.example.com.")
    var server: String?
    @Option(help: "The agent token (prefer --token-file or READINESS_AGENT_TOKEN: flags show in ps).")
    var token: String?
    @Option(help: "A file holding the agent token.")
    var tokenFile: String?
    @Flag(help: "Run once and exit (the default).")
    var once = false
    @Option(help: "Run every DURATION (90s, 15m, 1h) until stopped.")
    var every: String?
    @Flag(help: "Print the result JSON on stdout instead of uploading it.")
    var dryRun = false
    @Option(help: "A JSON file with the same settings (snake_case keys); flags win.")
    var config: String?
    @Option(help: "Where results wait when they cannot be uploaded (default $XDG_STATE_HOME/readiness-agent/spool).")
    var spool: String?
    @Option(help: "Latency samples per target (overrides the plan).")
    var latencySamples: Int?
    @Option(help: "Milliseconds between latency samples (overrides the plan).")
    var latencyIntervalMs: Int?
    @Option(help: "Seconds for each direction of the bandwidth probe (default 8; 0 skips it).")
    var bandwidthSeconds: Double?
    @Option(help: "Cap the UDP idle-timeout probe at this many seconds (0 skips it).")
    var udpTimeoutMaxS: Int?
    @Option(help: "Trust this CA file instead of the system store.")
    var caFile: String?
    @Flag(help: "No progress lines.")
    var quiet = false

    func run() async throws {
        var flags = AgentFlags()
        flags.server = server
        flags.token = token
        flags.tokenFile = tokenFile
        flags.once = once
        flags.every = every
        flags.dryRun = dryRun
        flags.config = config
        flags.spool = spool
        flags.latencySamples = latencySamples
        flags.latencyIntervalMs = latencyIntervalMs
        flags.bandwidthSeconds = bandwidthSeconds
        flags.udpTimeoutMaxS = udpTimeoutMaxS
        flags.caFile = caFile
        flags.quiet = quiet
        let code = await AgentCommand.main(flags: flags)
        if code != 0 { throw ExitCode(code) }
    }
}
