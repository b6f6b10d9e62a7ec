import HTTPClient
import Foundation
import ReadinessContract

/// Which forward proxy the machine is configured to use, and whether it would carry the
/// media hosts' traffic (`network.proxy`).
///
/// Explicit: `http_proxy`/`https_proxy`/`all_proxy` (either case). PAC: GNOME's
/// `org.gnome.system.proxy mode` is `'auto'` (the desktop's proxy auto-config; other OSes do
/// not expose theirs to a command-line program). Transparent: no proxy is configured but
/// the service's answer arrived with a `Via` field (RFC 9110 §7.6.3), which only an
/// intermediary adds.
struct ProxyDetection: Sendable {
    let environment: ProxyEnvironment
    /// GNOME's proxy mode (`none`, `manual`, `auto`), nil where there is no such setting.
    let desktopMode: String?
    let sawVia: Bool

    func detect(mediaHosts: [String]) -> ProbeResult.Proxy {
        if environment.isConfigured {
            // Media signalling runs over wss (https proxy); UDP media never uses an HTTP
            // proxy, so "in the media path" means it would carry the media hosts' TLS.
            let applies = mediaHosts.contains { environment.proxy(secure: true, host: $0) != nil }
            return .init(present: true, kind: .explicit, inMediaPath: applies)
        }
        switch desktopMode {
        case "auto":
            // A PAC script can exempt hosts, but evaluating it needs a JavaScript engine;
            // the conservative reading is that it applies.
            return .init(present: true, kind: .pac, inMediaPath: !mediaHosts.isEmpty)
        case "manual":
            return .init(present: true, kind: .explicit, inMediaPath: !mediaHosts.isEmpty)
        default:
            break
        }
        if sawVia { return .init(present: true, kind: .transparent, inMediaPath: !mediaHosts.isEmpty) }
        return .none
    }

    /// `gsettings get org.gnome.system.proxy mode`, unquoted; nil without GNOME. Blocking
    /// (a child process): call from a dedicated thread.
    static func gnomeProxyMode(environment: [String: String]) -> String? {
        guard let text = output(of: "gsettings", ["get", "org.gnome.system.proxy", "mode"], path: environment["PATH"]) else { return nil }
        let mode = text.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        return mode.isEmpty ? nil : mode
    }

    /// The standard output of `command` found on `path`, if it exits 0 within 2 s.
    static func output(of command: String, _ arguments: [String], path: String? = nil) -> String? {
        let directories = (path ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":")
        guard let executable = directories.map({ "\($0)/\(command)" }).first(where: FileManager.default.isExecutableFile(atPath:)) else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            return nil
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return process.terminationStatus == 0 ? text : nil
    }
}
