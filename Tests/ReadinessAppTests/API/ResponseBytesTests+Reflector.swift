import Foundation
import Testing
@testable import ReadinessApp

/// The reflector's status as `/readyz` answers it, spelled out byte for byte as it was answered
/// before its shape was declared once: `note` is left out when there is nothing to say.
extension ResponseBytesTests {
    @Test func reflectorStatusAnswer() throws {
        let bound = ReflectorStatus(ports: [3478, 3479], unboundPorts: [], note: nil)
        #expect(Self.text(try APIJSON.response(OperationsRoutes.Readiness(status: "ok", reflector: bound)).body) == """
            {"reflector":{"ports":[3478,3479],"unbound_ports":[]},"status":"ok"}
            """)
        let unbound = ReflectorStatus(ports: [3478], unboundPorts: [443], note: "no \"443\"/udp")
        #expect(Self.text(try APIJSON.response(unbound).body) == #"""
            {"note":"no \"443\"/udp","ports":[3478],"unbound_ports":[443]}
            """#)
    }
}
