import Sockets
import SystemClock

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adopts the client's `X-Request-Id` when it is short and printable, otherwise generates
/// one; echoes it on the response. It is not copied into `context.logger` metadata: that
/// copy-on-write per request cost ~10% of /healthz throughput; log `context.requestID` instead.
public struct RequestIDMiddleware: Middleware {
    public static let headerName = "X-Request-Id"
    /// Longer client ids are replaced, so logs cannot be flooded through this header.
    static let maxLength = 128

    public init() {}

    public func prepare(_ request: inout HTTPRequest, context: inout RequestContext) throws -> HTTPResponse? {
        if let given = request.headers[Self.headerName], !given.isEmpty, given.utf8.count <= Self.maxLength,
           given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            context.requestID = given
        } else {
            context.requestID = RequestIDGenerator.next()
        }
        return nil
    }

    public func complete(_ request: HTTPRequest, context: RequestContext, response: inout HTTPResponse) {
        response.headers.add(tokenName: Self.headerName, value: context.requestID)
    }
}

/// 32 hex digits: a random per-process prefix plus a mixed (clock, thread) suffix.
///
/// Not `SystemRandomNumberGenerator` per request: on Linux that is a `getrandom` system call
/// each time, which measurably cut /healthz throughput. Uniqueness, not secrecy, is needed.
enum RequestIDGenerator {
    private static let processPrefix = UInt64.random(in: .min ... .max)

    static func next() -> String {
        let high = processPrefix
        let thread = UInt64(pthread_self_id())
        let low = splitMix(MonotonicTime.now().nanoseconds ^ (thread &* 0x9E37_79B9_7F4A_7C15))
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for index in 0..<16 {
                buffer[index] = hexDigit(high >> (60 - UInt64(index) * 4))
                buffer[16 + index] = hexDigit(low >> (60 - UInt64(index) * 4))
            }
            return 32
        }
    }

    /// Arithmetic instead of a lookup table: a table is a lazy global (a `swift_once` check
    /// and bounds check per digit, 32 per request).
    @inline(__always)
    private static func hexDigit(_ value: UInt64) -> UInt8 {
        let nibble = UInt8(truncatingIfNeeded: value & 0xF)
        return nibble < 10 ? 0x30 + nibble : 0x57 + nibble
    }

    /// SplitMix64 finaliser: a bijection, so distinct inputs give distinct ids.
    private static func splitMix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func pthread_self_id() -> UInt {
        #if canImport(Glibc)
        UInt(pthread_self())
        #else
        UInt(bitPattern: pthread_self())
        #endif
    }
}
