/// An IP address literal as it appears in a probe's `host` or a policy's CIDR.
/// IPv6 is held as 128 bits in two halves so prefix masks are plain integer operations.
enum IPAddress: Sendable, Equatable {
    case v4(UInt32)
    case v6(high: UInt64, low: UInt64)

    /// Parses dotted-quad IPv4 (RFC 791; exactly four decimal octets, no leading zeros so
    /// that `010` is never read as octal) or IPv6 text (RFC 4291 §2.2, with `::` and an
    /// embedded IPv4 tail). Brackets and a zone (`%eth0`, RFC 6874) are tolerated for hosts.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> IPAddress? {
        var start = 0
        var end = bytes.count
        if end >= 2, bytes[0] == UInt8(ascii: "["), bytes[end - 1] == UInt8(ascii: "]") { start = 1; end -= 1 }
        if let zone = bytes[start..<end].firstIndex(of: UInt8(ascii: "%")) { end = zone }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if slice.contains(UInt8(ascii: ":")) { return parseV6(slice) }
        return parseV4(slice).map { .v4($0) }
    }

    static func parse(_ text: String) -> IPAddress? {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    static func parseV4(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0 else { return nil }
                value = value << 8 | octet
                octet = 0
                digits = 0
                dots += 1
                continue
            }
            guard byte >= 48, byte <= 57, digits < 3 else { return nil }
            if digits == 1, octet == 0 { return nil }
            octet = octet * 10 + UInt32(byte - 48)
            guard octet <= 255 else { return nil }
            digits += 1
        }
        guard dots == 3, digits > 0 else { return nil }
        return value << 8 | octet
    }

    static func parseV6(_ bytes: UnsafeBufferPointer<UInt8>) -> IPAddress? {
        var groups: [UInt16] = []
        var gap: Int?  // index in `groups` where `::` stands
        var index = 0
        if bytes.count >= 2, bytes[0] == UInt8(ascii: ":"), bytes[1] == UInt8(ascii: ":") {
            gap = 0
            index = 2
        } else if bytes.first == UInt8(ascii: ":") {
            return nil
        }
        while index < bytes.count {
            var end = index
            while end < bytes.count, bytes[end] != UInt8(ascii: ":") { end += 1 }
            let token = UnsafeBufferPointer(rebasing: bytes[index..<end])
            if token.contains(UInt8(ascii: ".")) {
                // An embedded IPv4 address may only be the last 32 bits (RFC 4291 §2.2, form 3).
                guard end == bytes.count, let v4 = parseV4(token) else { return nil }
                groups.append(UInt16(v4 >> 16))
                groups.append(UInt16(v4 & 0xFFFF))
                index = end
                break
            }
            guard (1...4).contains(token.count) else { return nil }
            var group: UInt16 = 0
            for byte in token {
                guard let digit = hexValue(byte) else { return nil }
                group = group << 4 | UInt16(digit)
            }
            groups.append(group)
            guard groups.count <= 8 else { return nil }
            if end == bytes.count { index = end; break }
            // `end` is a colon: either a separator or the start of `::`.
            if end + 1 < bytes.count, bytes[end + 1] == UInt8(ascii: ":") {
                guard gap == nil else { return nil }
                gap = groups.count
                index = end + 2
            } else {
                guard end + 1 < bytes.count else { return nil }
                index = end + 1
            }
        }
        if let gap {
            guard groups.count <= 7 else { return nil }
            groups.insert(contentsOf: repeatElement(0, count: 8 - groups.count), at: gap)
        }
        guard groups.count == 8 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for group in groups[0..<4] { high = high << 16 | UInt64(group) }
        for group in groups[4..<8] { low = low << 16 | UInt64(group) }
        return .v6(high: high, low: low)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 97...102: return byte - 87
        case 65...70: return byte - 55
        default: return nil
        }
    }

    /// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2) are the IPv4 host.
    var unmapped: IPAddress {
        if case let .v6(high, low) = self, high == 0, low >> 32 == 0xFFFF { return .v4(UInt32(low & 0xFFFF_FFFF)) }
        return self
    }
}
