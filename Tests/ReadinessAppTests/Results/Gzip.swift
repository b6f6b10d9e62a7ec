import Foundation
import SystemCrypto

/// gzip for test bodies, with the same zlib the server inflates with.
enum Gzip {
    static func compress(_ data: Data) throws -> Data {
        Data(try Deflater.compress([UInt8](data)))
    }
}
