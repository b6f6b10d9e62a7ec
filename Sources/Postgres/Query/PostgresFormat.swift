/// How a parameter's bytes are to be read: the format code of the protocol's Bind message
/// (PostgreSQL manual, 55.7: 0 is text, 1 is binary).
public enum PostgresFormat: Int32, Sendable, Hashable {
    /// The type's text input (`uuid_in`, `jsonb_in`, …); sent as a NUL-terminated C string.
    case text = 0
    /// The type's binary input (`uuid_recv`, `array_recv`, …); sent with an explicit length.
    case binary = 1
}
