/// `GET /readyz` as the reflector tests read it: which STUN ports the reflector holds.
struct ReflectorReadyAnswer: Decodable {
    struct Status: Decodable {
        let ports: [Int]
        let unboundPorts: [Int]
        /// Left out when every port is bound.
        let note: String?
    }

    let reflector: Status
}
