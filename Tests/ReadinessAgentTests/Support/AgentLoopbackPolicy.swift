import Foundation
import JSON

/// The seeded policy with every destination replaced by 127.0.0.1, as policy `loopback`: made
/// from the document the service answers, as the project's JSON tree, so every member it does
/// not touch goes back exactly as the service wrote it.
enum AgentLoopbackPolicy {
    struct NotAPolicy: Error, CustomStringConvertible {
        let description: String
    }

    /// The body to publish as `loopback` from `sococo`, the default policy's document.
    static func body(from sococo: Data) throws -> Data {
        guard case .object(let members) = try JSONParser.parse(sococo) else { throw NotAPolicy(description: "not an object") }
        guard case .array(let rules)? = members.last(where: { $0.key == "rules" })?.value else {
            throw NotAPolicy(description: "no rules")
        }
        // The server numbers versions: the source's own is left out.
        let document = JSONValue.object(members.compactMap { member in
            switch member.key {
            case "version": return nil
            case "policy": return (key: member.key, value: "loopback")
            case "rules": return (key: member.key, value: .array(rules.map(loopback(rule:))))
            default: return member
            }
        })
        return Data(try JSONWriter.document(capacity: 16_384) { document.write(to: $0) })
    }

    /// A rule's destinations, and its route's, pointed at loopback (a route's `*` stays).
    private static func loopback(rule: JSONValue) -> JSONValue {
        guard case .object(let members) = rule else { return rule }
        return .object(members.map { member in
            switch (member.key, member.value) {
            case ("destinations", let value) where strings(value) != nil:
                return (key: member.key, value: ["127.0.0.1"])
            case ("route", .object(let route)):
                return (key: member.key, value: .object(route.map { routeMember in
                    guard routeMember.key == "destinations", let destinations = strings(routeMember.value) else { return routeMember }
                    return (key: routeMember.key, value: .array(destinations.map { .string($0 == "*" ? "*" : "127.0.0.1") }))
                }))
            default:
                return member
            }
        })
    }

    /// The strings of an array holding only strings; nil for anything else.
    private static func strings(_ value: JSONValue) -> [String]? {
        guard case .array(let elements) = value else { return nil }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else { return nil }
            strings.append(text)
        }
        return strings
    }
}
