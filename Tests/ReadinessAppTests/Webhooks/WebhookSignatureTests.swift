import Foundation
import Testing
@testable import ReadinessApp
import ReadinessServiceTestSupport

/// Deliveries checked by the Standard Webhooks reference verifier (PyPI `standardwebhooks`,
/// through `scripts/verify-webhook-signatures.py`), as a receiver would check them: with the
/// current secret, and during a rotation with the old one too; after the overlap the old
/// secret no longer verifies.
@Suite(.serialized) struct WebhookSignatureTests {
    @Test func theReferenceVerifierAcceptsEveryDeliveryIncludingDuringRotation() async throws {
        let receiver = try WebhookReceiver(script: [.init(status: 200)])
        try receiver.start()
        defer { Task { await receiver.stop() } }
        try await LiveService.with(configure: WebhookFixtures.configure) { live in
            let site = try await live.fixtures.site()
            let plainSecret = try WebhookFixtures.secret()
            let newSecret = try WebhookFixtures.secret(), oldSecret = try WebhookFixtures.secret()
            let expiredNew = try WebhookFixtures.secret(), expiredOld = try WebhookFixtures.secret()
            let plain = try await WebhookFixtures.webhook(live.database, url: receiver.url + "?n=1", secret: plainSecret)
            let rotating = try await WebhookFixtures.webhook(
                live.database, url: receiver.url + "?n=2", secret: newSecret, previousSecret: oldSecret,
                previousExpiresAt: Date().addingTimeInterval(3600))
            let rotated = try await WebhookFixtures.webhook(
                live.database, url: receiver.url + "?n=3", secret: expiredNew, previousSecret: expiredOld,
                previousExpiresAt: Date().addingTimeInterval(-60))
            for webhook in [plain, rotating, rotated] {
                try await WebhookFixtures.event(live.database, webhook: webhook, type: "site.verdict_changed", site: site)
            }
            try await WebhookFixtures.waitUntil("three deliveries") { receiver.requests.count == 3 }

            let messageToWebhook = try await live.database.query("SELECT message_id, webhook_id FROM webhook_events")
            var webhookOf: [String: UUID] = [:]
            for row in messageToWebhook { webhookOf[try row.decode(String.self, column: "message_id")] = try row.decode(UUID.self, column: "webhook_id") }
            var checks: [[String: Any]] = []
            for request in receiver.requests {
                let headers = ["webhook-id": request.headers["webhook-id"] ?? "", "webhook-timestamp": request.headers["webhook-timestamp"] ?? "",
                               "webhook-signature": request.headers["webhook-signature"] ?? ""]
                func check(_ secret: String, expect: Bool) {
                    checks.append(["secret": secret, "headers": headers, "body_base64": Data(request.body).base64EncodedString(), "expect": expect])
                }
                switch webhookOf[request.messageID] {
                case plain:
                    check(plainSecret, expect: true)
                    #expect(!(headers["webhook-signature"] ?? "").contains(" "))
                case rotating:
                    check(newSecret, expect: true)
                    check(oldSecret, expect: true)
                    #expect((headers["webhook-signature"] ?? "").split(separator: " ").count == 2)
                default:
                    check(expiredNew, expect: true)
                    check(expiredOld, expect: false)
                }
            }
            #expect(checks.count == 5)
            let result = try Self.runVerifier(checks)
            #expect(result.status == 0, "\(result.output)")
        }
    }

    static func runVerifier(_ checks: [[String: Any]]) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-checks-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: checks).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = ResponseRecorder.repositoryRoot.appendingPathComponent("scripts/verify-webhook-signatures.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
