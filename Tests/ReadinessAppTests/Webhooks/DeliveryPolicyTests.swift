import Foundation
import Sockets
import Testing
@testable import ReadinessApp

/// The retry schedule, the status classification and the destination check, as stated in the
/// README ("Webhooks: delivery") and the spec.
@Suite struct DeliveryPolicyTests {
    @Test func theCeilingDoublesFromThirtySecondsToAnHour() {
        let schedule = RetrySchedule()
        let ceilings = (1...9).map { schedule.ceiling(afterFailedAttempts: $0) }
        #expect(ceilings == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600])
    }

    @Test func waitsAreJitteredUnderTheCeilingAndStopAfterADay() {
        var schedule = RetrySchedule()
        schedule.jitter = { $0 / 2 }
        let created = Date(timeIntervalSince1970: 1_000_000)
        let soon = created.addingTimeInterval(10)
        #expect(schedule.nextAttempt(afterFailedAttempts: 2, retryAfter: nil, now: soon, createdAt: created) == soon.addingTimeInterval(30))
        #expect(schedule.nextAttempt(afterFailedAttempts: 2, retryAfter: 7, now: soon, createdAt: created) == soon.addingTimeInterval(7))
        let late = created.addingTimeInterval(24 * 3600 - 60)
        #expect(schedule.nextAttempt(afterFailedAttempts: 30, retryAfter: nil, now: late, createdAt: created) == nil)
        #expect(schedule.nextAttempt(afterFailedAttempts: 1, retryAfter: 3600, now: late, createdAt: created) == nil)
    }

    @Test(arguments: [
        (200, DeliveryOutcome.delivered), (204, .delivered), (299, .delivered), (408, .retry), (429, .retry), (500, .retry),
        (503, .retry), (410, .disabled), (400, .failed), (401, .failed), (404, .failed), (301, .failed),
    ])
    func statusesMapToOutcomes(status: Int, outcome: DeliveryOutcome) {
        #expect(DeliveryOutcome.of(status: status) == outcome)
    }

    @Test func retryAfterIsSecondsOrAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:50:37 GMT", now: now) == 60)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
        #expect(RetryAfter.seconds("-5", now: now) == nil)
        #expect(RetryAfter.seconds(nil, now: now) == nil)
    }

    @Test(arguments: [
        ("127.0.0.1", false), ("10.1.2.3", false), ("172.16.0.1", false), ("192.168.1.1", false), ("169.254.169.254", false),
        ("100.64.0.1", false), ("0.0.0.0", false), ("224.0.0.1", false), ("::1", false), ("fd00:ec2::254", false),
        ("fe80::1", false), ("::ffff:10.0.0.1", false), ("::", false),
        ("93.184.216.34", true), ("8.8.8.8", true), ("2606:4700::1111", true), ("::ffff:8.8.8.8", true),
    ])
    func privateAndMetadataAddressesAreNotPublic(ip: String, isPublic: Bool) throws {
        let address = try #require(SocketAddress(ip: ip, port: 443))
        #expect((DestinationAddressClass(ipBytes: address.ipBytes) == .global) == isPublic)
    }
}
