/// A contract enumeration recognised from the input's bytes: `E(rawValue: String)` built a
/// `String` per value and searched the case names through the runtime (~280 instructions for
/// each `"protocol": "udp"`); here the bytes are packed into two words and compared with the
/// cases' names, packed once per type.
protocol ContractEnumeration: RawRepresentable, CaseIterable where RawValue == String {
    /// Every case with its packed name (`PackedName.table()`), built once per type.
    static var packedCases: [(name: PackedName, value: Self)] { get }
}

/// Up to 16 bytes of a name and its length, compared as three words; nil for a longer name.
struct PackedName: Equatable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private let count: Int

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 16 else { return nil }
        count = bytes.count
        for (index, byte) in bytes.enumerated() {
            if index < 8 { low |= UInt64(byte) << (8 * index) } else { high |= UInt64(byte) << (8 * (index - 8)) }
        }
    }

    /// The packed names of every case of `E` whose name fits.
    static func table<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> [(name: PackedName, value: E)] where E.RawValue == String {
        E.allCases.compactMap { value in
            var name = value.rawValue
            return name.withUTF8 { PackedName($0) }.map { (name: $0, value: value) }
        }
    }
}

extension ContractEnumeration {
    /// The case named by `bytes` exactly, or nil.
    static func named(_ bytes: UnsafeBufferPointer<UInt8>) -> Self? {
        guard let name = PackedName(bytes) else { return nil }
        for entry in packedCases where entry.name == name { return entry.value }
        return nil
    }
}

extension ProbeResult.TransportProtocol: ContractEnumeration {
    static let packedCases = PackedName.table(Self.self)
}

extension ProbeResult.GatewayKind: ContractEnumeration {
    static let packedCases = PackedName.table(Self.self)
}

extension ProbeResult.Interface: ContractEnumeration {
    static let packedCases = PackedName.table(Self.self)
}

extension ProbeResult.ProxyKind: ContractEnumeration {
    static let packedCases = PackedName.table(Self.self)
}

extension ProbeResult.Tunnel: ContractEnumeration {
    static let packedCases = PackedName.table(Self.self)
}
