import Foundation
import Testing
@testable import ReadinessAgent

@Suite struct ProgressReporterTests {
    final class Sink: @unchecked Sendable {  // test-only; guarded by `lock`
        private let lock = NSLock()
        private var text = ""
        func write(_ more: String) { lock.withLock { text += more } }
        var value: String { lock.withLock { text } }
    }

    @Test func liveCountersOnlyOnATerminalAndALineClearsThem() {
        let terminal = Sink()
        let onTerminal = ProgressReporter(quiet: false, isTerminal: true, write: terminal.write)
        onTerminal.live("latency h", "3/50")
        onTerminal.line("latency h", "p50 1 ms")
        #expect(terminal.value.hasPrefix("\r\u{1B}[K" + "latency h"))
        #expect(terminal.value.hasSuffix("p50 1 ms\n"))
        #expect(terminal.value.components(separatedBy: "\r\u{1B}[K").count == 3)

        let file = Sink()
        let toFile = ProgressReporter(quiet: false, isTerminal: false, write: file.write)
        toFile.live("latency h", "3/50")
        toFile.line("latency h", "p50 1 ms")
        #expect(!file.value.contains("\u{1B}"))
        #expect(file.value.hasSuffix("p50 1 ms\n"))
    }

    @Test func quietWritesNothing() {
        let sink = Sink()
        let quiet = ProgressReporter(quiet: true, isTerminal: true, write: sink.write)
        quiet.live("a", "1")
        quiet.line("a", "done")
        #expect(sink.value.isEmpty)
    }
}
