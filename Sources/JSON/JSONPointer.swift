import Foundation

/// Builds RFC 6901 JSON pointers: `~` is escaped as `~0` and `/` as `~1` (RFC 6901 §3).
public enum JSONPointer {
    public static func appending(_ base: String, _ token: String) -> String {
        // Byte scan rather than `String.contains`, which goes through Foundation's slow path.
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return base + "/" + token }
        let escaped = token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        return base + "/" + escaped
    }

    public static func appending(_ base: String, _ index: Int) -> String {
        base + "/" + String(index)
    }
}
