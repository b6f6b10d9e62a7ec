import BufferedLog

/// The log writer's counts, read when scraped. Written by hand, as the process figures are:
/// they are the writer's own running totals, which the registry's counters cannot mirror
/// without a second count on every log line. Alert on any rise of the dropped lines: the log's
/// sink (disk, pipe) is not keeping up.
struct LogFigures {
    let statistics: LogStatistics

    func append(to buffer: inout [UInt8]) {
        func counter(_ name: String, _ help: String, _ value: UInt64) {
            buffer.append(contentsOf: "# HELP \(name) \(help)\n# TYPE \(name) counter\n\(name) \(value)\n".utf8)
        }
        counter("readiness_log_lines_written_total", "Log lines handed to the log's file or standard error.", statistics.written)
        counter(
            "readiness_log_lines_dropped_total",
            "Log lines lost: the log's buffer was full because its sink could not keep up, or the sink failed.",
            statistics.dropped)
    }
}
