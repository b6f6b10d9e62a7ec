import STUN
import Sockets

/// The Binding success responses the reflector sends (RFC 8489 §7.3.1.1), as small as they
/// can be: XOR-MAPPED-ADDRESS of the source, ANSWER-AFTER on delayed answers only, and
/// FINGERPRINT only when the request carried one (RFC 8489 §7.3: a client that multiplexes
/// STUN with other protocols asks for it by sending it).
enum ReflectorResponses {
    static func success(to request: STUNMessage, from source: SocketAddress, answerAfter milliseconds: UInt32?) -> [UInt8] {
        var attributes: [STUNAttribute] = []
        if let mapped = STUNAddress(ip: source.ipBytes, port: source.port) {
            attributes.append(.xorMappedAddress(mapped))
        }
        if let milliseconds { attributes.append(.answerAfter(milliseconds: milliseconds)) }
        if request.hasFingerprint { attributes.append(.fingerprint) }
        return STUNMessage(kind: .bindingSuccess, transactionID: request.transactionID, attributes: attributes).encoded()
    }
}
