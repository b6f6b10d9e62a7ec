import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

@Suite struct SiteCreateAndReadTests {
    @Test func createdSiteTakesDocumentedDefaultsAndIsReadable() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let created = try await live.client.post("/v1/sites", token: admin, json: ["name": "Berlin office"])
            #expect(created.status == 201)
            // `SiteBody` requires the nullable members: nil below is a written null.
            let site = try created.decoded(SiteBody.self)
            let id = site.id
            #expect(created.header("Location") == "/v1/sites/\(id)")
            #expect(id == id.lowercased())
            #expect(site.timezone == "UTC")
            #expect(site.tags == [])
            #expect(site.expectedUsers == 10)
            #expect(site.longestCallS == 3600)
            #expect(site.region == nil)
            #expect(site.archivedAt == nil)
            #expect(site.policy.name == "sococo")
            #expect(site.policy.version == nil)

            let read = try await live.client.get("/v1/sites/\(id)", token: try await live.fixtures.token(.read))
            #expect(read.status == 200)
            #expect(try read.decoded(SiteBody.self).name == "Berlin office")
        }
    }

    @Test func createStoresEveryMemberSent() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let created = try await live.client.post("/v1/sites", token: admin, json: [
                "name": "Berlin office", "region": "eu-central", "timezone": "Europe/Berlin", "tags": ["hq", "floor-3"],
                "expected_users": 40, "longest_call_s": 7200, "policy": ["name": "sococo", "version": 1],
            ])
            #expect(created.status == 201)
            let site = try created.decoded(SiteBody.self)
            #expect(site.region == "eu-central")
            #expect(site.timezone == "Europe/Berlin")
            #expect(site.tags == ["hq", "floor-3"])
            #expect(site.expectedUsers == 40)
            #expect(site.policy.version == 1)
        }
    }

    @Test func invalidCreateNamesEveryBadMemberByPointer() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let response = try await live.client.post("/v1/sites", token: admin, json: [
                "timezone": "Mars/Olympus", "tags": Array(repeating: "x", count: 33), "expected_users": 0,
                "longest_call_s": 604_801, "policy": ["name": "sococo", "version": 7], "owner": "me",
            ])
            #expect(response.status == 422)
            #expect(Set(try response.problemPointers()) == [
                "/timezone", "/tags", "/expected_users", "/longest_call_s", "/policy/version", "/owner", "/name",
            ])
        }
    }

    @Test(arguments: [
        (#"{"name": ""}"#, "/name"),
        (#"{"name": "\#(String(repeating: "n", count: 256))"}"#, "/name"),
        (#"{"name": "ok", "tags": ["fine", "\#(String(repeating: "t", count: 65))"]}"#, "/tags/1"),
        (#"{"name": "ok", "tags": ["a", "a"]}"#, "/tags/1"),
        (#"{"name": "ok", "tags": "a"}"#, "/tags"),
        (#"{"name": "ok", "expected_users": 1.5}"#, "/expected_users"),
        (#"{"name": "ok", "expected_users": "10"}"#, "/expected_users"),
        (#"{"name": "ok", "policy": {"name": "nope", "version": null}}"#, "/policy/name"),
        (#"{"name": "ok", "policy": {"name": "sococo"}}"#, "/policy/version"),
        (#"{"name": "ok", "policy": {"name": "sococo", "version": null, "extra": 1}}"#, "/policy/extra"),
        (#"{"name": "ok", "timezone": null}"#, "/timezone"),
        (#"{"name": "ok", "a/b": 1}"#, "/a~1b"),
        // PostgreSQL text cannot hold U+0000: named here rather than failing the INSERT with a 500.
        (#"{"name": "a\u0000b"}"#, "/name"),
        (#"{"name": "ok", "tags": ["fine", "x\u0000"]}"#, "/tags/1"),
    ])
    func eachInvalidMemberIsNamed(body: String, pointer: String) async throws {
        try await LiveService.with { live in
            let response = try await live.client.send(
                "POST", "/v1/sites", token: try await live.fixtures.token(.admin), body: Data(body.utf8))
            #expect(response.status == 422)
            #expect(try response.problemPointers() == [pointer])
            #expect(response.header("Content-Type")?.hasPrefix("application/problem+json") == true)
        }
    }

    @Test func bodiesThatAreNotJSONObjectsAreRefused() async throws {
        try await LiveService.with { live in
            let admin = try await live.fixtures.token(.admin)
            let notJSON = try await live.client.send("POST", "/v1/sites", token: admin, body: Data("{".utf8))
            #expect(notJSON.status == 400)
            let wrongType = try await live.client.send(
                "POST", "/v1/sites", token: admin, headers: ["Content-Type": "text/plain"], body: Data("{}".utf8))
            #expect(wrongType.status == 415)
            let array = try await live.client.send("POST", "/v1/sites", token: admin, body: Data("[]".utf8))
            #expect(array.status == 422)
        }
    }

    @Test func unknownOrMalformedSiteIDsAreNotFound() async throws {
        try await LiveService.with { live in
            let read = try await live.fixtures.token(.read)
            #expect(try await live.client.get("/v1/sites/\(UUID().lower)", token: read).status == 404)
            #expect(try await live.client.get("/v1/sites/not-a-uuid", token: read).status == 404)
        }
    }
}
