import Foundation
import SystemCrypto

/// Incompressible bytes for the download probe, made once from the CSPRNG and shared by every
/// request: random bytes defeat any compression a proxy or the link might apply, and making
/// them per request would cost the CPU the measurement is trying not to depend on.
///
/// `HTTPResponse.body` is an `[UInt8]`, which cannot share a prefix of another array: a
/// request for exactly the buffer's size (or for the size last asked for, which is what a
/// fleet on one plan does) shares storage; any other size costs one copy.
final class DownloadPayload: @unchecked Sendable {
    // @unchecked Sendable is safe because both stored arrays are only touched under `lock`.
    private let lock = NSLock()
    /// Grown to the largest size asked for (at most ``ProbeLimits/maxTransferBytes``).
    private var buffer: [UInt8] = []
    /// The most recent smaller size and its prefix of `buffer`.
    private var recent: [UInt8] = []

    /// `count` random bytes.
    func bytes(count: Int) throws -> [UInt8] {
        try lock.withLock {
            if buffer.count < count {
                buffer = try SecureRandom.bytes(count: count)
                recent = []
            }
            if buffer.count == count { return buffer }
            if recent.count != count { recent = Array(buffer[0..<count]) }
            return recent
        }
    }
}
