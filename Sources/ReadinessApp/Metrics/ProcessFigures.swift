import Foundation

/// The standard `process_*` series (as Prometheus' client libraries name them), read from
/// /proc when scraped. Written by hand: they are absolute readings, which the registry's
/// counters (increment only) cannot hold.
struct ProcessFigures {
    var cpuSeconds: Double?
    var residentBytes: Double?
    var openFileDescriptors: Double?
    var startTimeSeconds: Double?

    static func read() -> ProcessFigures {
        var figures = ProcessFigures()
        var usage = rusage()
        if getrusage(RUSAGE_SELF.rawValue, &usage) == 0 {
            func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
            figures.cpuSeconds = seconds(usage.ru_utime) + seconds(usage.ru_stime)
        }
        // statm's second field: resident pages.
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
           let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
            figures.residentBytes = pages * Double(sysconf(Int32(_SC_PAGESIZE)))
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            figures.openFileDescriptors = Double(entries.count)
        }
        figures.startTimeSeconds = startTime
        return figures
    }

    /// When this process started, in seconds since the epoch: read once (the first scrape runs
    /// long after start, so uptime from /proc would be needed otherwise).
    private static let startTime: Double? = {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let secondsUp = uptime.split(separator: " ").first.flatMap({ Double($0) }),
              let afterName = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name start at field 3; starttime is field 22, in clock ticks after boot.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        let bootTime = Date().timeIntervalSince1970 - secondsUp
        return bootTime + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }()

    func append(to buffer: inout [UInt8]) {
        func series(_ name: String, _ type: String, _ help: String, _ value: Double?) {
            guard let value else { return }
            buffer.append(contentsOf: "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n".utf8)
        }
        series("process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.", cpuSeconds)
        series("process_resident_memory_bytes", "gauge", "Resident memory size, in bytes.", residentBytes)
        series("process_open_fds", "gauge", "Open file descriptors.", openFileDescriptors)
        series("process_start_time_seconds", "gauge", "Start time of the process since the epoch, in seconds.", startTimeSeconds)
    }
}
