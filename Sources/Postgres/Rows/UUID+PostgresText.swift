import Foundation
import UUIDText

extension UUID {
    /// `uuid_out`'s text (8-4-4-4-12 lower-case hex; upper case read too), parsed in place by
    /// `UUIDText`: Foundation's `UUID(uuidString:)` makes a String and runs `sscanf`, which was
    /// a tenth of the server's CPU on a fleet page of 100 sites.
    init?(postgresText text: [UInt8]) {
        guard let uuid = text.withUnsafeBufferPointer({ UUID.parse(hyphenatedHex: $0) }) else { return nil }
        self.init(uuid: uuid)
    }
}
