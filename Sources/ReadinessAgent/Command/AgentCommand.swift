import Foundation

/// `readiness-agent run`: one run (`--once`) or one every interval (`--every`), with the exit
/// code and the one-line reason a script or service manager acts on.
public enum AgentCommand {
    /// Runs and returns the process exit code. The reason for a non-zero code is written to
    /// stderr as one line; `--dry-run` JSON goes to stdout.
    public static func main(
        flags: AgentFlags, environment: [String: String] = ProcessInfo.processInfo.environment,
        console: Console = .standard
    ) async -> Int32 {
        let settings: AgentSettings
        do {
            settings = try AgentSettings.resolve(flags: flags, environment: environment)
        } catch {
            return fail(error, console)
        }
        let progress = ProgressReporter(quiet: settings.quiet, isTerminal: console.errorIsTerminal, write: console.error)
        let runner = AgentRunner(settings: settings, environment: environment, progress: progress, output: console.output)
        switch settings.schedule {
        case .once:
            do {
                _ = try await runner.runOnce()
                return 0
            } catch {
                return fail(error, console)
            }
        case let .every(seconds):
            return await repeatedly(runner, every: seconds, console)
        }
    }

    /// Where the command writes: stdout (result JSON) and stderr (progress, the reason).
    public struct Console: Sendable {
        public var output: @Sendable (Data) -> Void
        public var error: @Sendable (String) -> Void
        public var errorIsTerminal: Bool

        public init(output: @escaping @Sendable (Data) -> Void, error: @escaping @Sendable (String) -> Void, errorIsTerminal: Bool = false) {
            self.output = output
            self.error = error
            self.errorIsTerminal = errorIsTerminal
        }

        public static let standard = Console(
            output: { FileHandle.standardOutput.write($0) }, error: ProgressReporter.standardError,
            errorIsTerminal: isatty(STDERR_FILENO) == 1)
    }

    /// Runs on a fixed cadence from the first start (a long run delays the next, never
    /// doubles it). Failures are reported and retried at the next tick, except a rejected
    /// token or unusable settings, which no retry can fix.
    static func repeatedly(_ runner: AgentRunner, every seconds: Int, _ console: Console) async -> Int32 {
        var next = Date()
        while true {
            do {
                _ = try await runner.runOnce()
            } catch let failure as AgentFailure {
                switch failure {
                case .tokenRejected, .usage, .storage:
                    return fail(failure, console)
                default:
                    report(failure, console)
                }
            } catch {
                report(error, console)
            }
            next = next.addingTimeInterval(TimeInterval(seconds))
            while next < Date() { next = next.addingTimeInterval(TimeInterval(seconds)) }
            try? await Task.sleep(for: .seconds(next.timeIntervalSinceNow))
        }
    }

    static func fail(_ error: any Error, _ console: Console) -> Int32 {
        report(error, console)
        return (error as? AgentFailure)?.exitCode ?? 70
    }

    static func report(_ error: any Error, _ console: Console) {
        console.error("readiness-agent: \(error)\n")
    }
}
