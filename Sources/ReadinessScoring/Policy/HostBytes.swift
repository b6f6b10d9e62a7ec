/// A probe host's UTF-8 bytes borrowed in place, read as lower-case ASCII and without one
/// trailing dot (DNS names are case-insensitive, RFC 4343; `host.` is `host`). Policy patterns
/// are lowercased when the policy is compiled, so matching is a byte compare with no copy.
struct HostBytes {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Length without the trailing dot.
    let count: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        count = bytes.last == UInt8(ascii: ".") ? bytes.count - 1 : bytes.count
    }

    /// Runs `body` on the host's bytes; native strings (all parsed uploads) lend their storage.
    static func with<T>(_ host: String, _ body: (HostBytes) -> T) -> T {
        if let result = host.utf8.withContiguousStorageIfAvailable({ body(HostBytes($0)) }) { return result }
        return Array(host.utf8).withUnsafeBufferPointer { body(HostBytes($0)) }
    }

    @inline(__always)
    func lowered(_ index: Int) -> UInt8 {
        let byte = bytes[index]
        return byte >= 65 && byte <= 90 ? byte + 32 : byte
    }

    func equals(_ name: [UInt8]) -> Bool {
        guard name.count == count else { return false }
        for index in 0..<count where lowered(index) != name[index] { return false }
        return true
    }

    func hasSuffix(_ suffix: [UInt8]) -> Bool {
        guard suffix.count <= count else { return false }
        let offset = count - suffix.count
        for index in suffix.indices where lowered(offset + index) != suffix[index] { return false }
        return true
    }

    /// Whether the host's bytes from `offset` read as `pattern` (lower case, as policies are
    /// compiled) once A-Z are lowered; `offset + pattern.count` must be within `count`. Eight
    /// bytes to a compare: ASCII capitals are found in a word at once (SWAR), bytes of 0x80
    /// and up are left as they are, as `lowered(_:)` leaves them.
    func equalsLowered(at offset: Int, _ pattern: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        if let host = bytes.baseAddress, let name = pattern.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= pattern.count {
                let word = UnsafeRawPointer(host + offset + index).loadUnaligned(as: UInt64.self)
                let seven = word & ~high
                // High bit per byte: at least "A" (0x41), at least "[" (0x5B), and ASCII.
                let capital = (seven &+ ones &* 0x3F) & ~(seven &+ ones &* 0x25) & ~word & high
                if word | (capital >> 2) != UnsafeRawPointer(name + index).loadUnaligned(as: UInt64.self) { return false }
                index += 8
            }
        }
        while index < pattern.count {
            if lowered(offset + index) != pattern[index] { return false }
            index += 1
        }
        return true
    }

    /// The host parsed as an IP literal at most once per match, and only when a CIDR asks.
    struct LazyAddress {
        private var parsed = false
        private var address: IPAddress?

        mutating func value(_ host: HostBytes) -> IPAddress? {
            if !parsed {
                parsed = true
                address = host.parseAddress()
            }
            return address
        }
    }

    /// Only digits, `[` or a colon can make an IP literal; skip parsing otherwise. Case does
    /// not matter to the parser (hex digits are read in either case).
    func parseAddress() -> IPAddress? {
        let name = UnsafeBufferPointer(rebasing: bytes[0..<count])
        let first = name.first ?? 0
        let mayBeAddress = (48...57).contains(first) || first == UInt8(ascii: "[") || name.contains(UInt8(ascii: ":"))
        return mayBeAddress ? IPAddress.parse(name) : nil
    }
}
