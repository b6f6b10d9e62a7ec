import Foundation

/// `readiness-agent run`: one run (`--once`) or one every interval (`--every`), with the exit
/// code and the one-line reason a script or service manager acts on.
public enum AgentCommand {
    /// Runs and returns the process exit code. The reason for a non-zero code is written to
    /// stderr as one line; `--dry-run` JSON goes to stdout.
    public static func main(flags: AgentFlags, environment: [String: String] = ProcessInfo.processInfo.environment) async -> Int32 {
        let settings: AgentSettings
        do {
            settings = try AgentSettings.resolve(flags: flags, environment: environment)
        } catch {
            return fail(error)
        }
        let progress = ProgressReporter(quiet: settings.quiet)
        let runner = AgentRunner(settings: settings, environment: environment, progress: progress) { data in
            FileHandle.standardOutput.write(data)
        }
        switch settings.schedule {
        case .once:
            do {
                _ = try await runner.runOnce()
                return 0
            } catch {
                return fail(error)
            }
        case let .every(seconds):
            return await repeatedly(runner, every: seconds)
        }
    }

    /// Runs on a fixed cadence from the first start (a long run delays the next, never
    /// doubles it). Failures are reported and retried at the next tick, except a rejected
    /// token or unusable settings, which no retry can fix.
    static func repeatedly(_ runner: AgentRunner, every seconds: Int) async -> Int32 {
        var next = Date()
        while true {
            do {
                _ = try await runner.runOnce()
            } catch let failure as AgentFailure {
                switch failure {
                case .tokenRejected, .usage, .storage:
                    return fail(failure)
                default:
                    report(failure)
                }
            } catch {
                report(error)
            }
            next = next.addingTimeInterval(TimeInterval(seconds))
            while next < Date() { next = next.addingTimeInterval(TimeInterval(seconds)) }
            try? await Task.sleep(for: .seconds(next.timeIntervalSinceNow))
        }
    }

    static func fail(_ error: any Error) -> Int32 {
        report(error)
        return (error as? AgentFailure)?.exitCode ?? 70
    }

    static func report(_ error: any Error) {
        FileHandle.standardError.write(Data("readiness-agent: \(error)\n".utf8))
    }
}
