import Foundation
import Testing
import VaporTesting

/// The phone channel is the provider's: staff log the call, and only where the policy's phone
/// support reaches — its plans, priorities and hours.
@Suite struct PhoneIntakeTests {
    static func call(_ desk: DeskHarness, for requester: String, priority: String? = nil) async throws -> DeskHarness.Reply {
        let field = priority.map { #","priority":"\#($0)""# } ?? ""
        return try await desk.call(.POST, "/api/v1/cases", token: desk.adminToken,
                                   body: #"{"title":"Called in","description":"By phone","channel":"phone","requester":"\#(requester)"\#(field)}"#)
    }

    @Test(arguments: TestDatabase.all) func proPlusPhoneSupportIsThePlansAndKeepsTierOneHours(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-24T02:00:00Z", on: database) { desk in  // Monday 20:00 CST
            let paying = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "PAY")
            let free = try await desk.organization("pro-plus", plan: "free", region: "us-central", prefix: "FREE")
            let pat = try await desk.person(in: paying, email: "pat@pay.test", role: "user")
            let fay = try await desk.person(in: free, email: "fay@free.test", role: "user")
            let claimed = try await desk.call(.POST, "/api/v1/cases", token: pat.token, body: #"{"title":"T","description":"d","channel":"phone"}"#)
            #expect(claimed.status == .forbidden && claimed.string["field"] == "channel")
            let closed = try await Self.call(desk, for: pat.id)
            #expect(closed.status == .forbidden && closed.string["field"] == "channel")
            #expect(closed.string["detail"]?.contains("closed now; it opens 2026-11-24T07:00:00-06:00") == true, "\(closed.json)")
            desk.set("2026-11-24T16:00:00Z")  // Tuesday 10:00 CST
            let open = try await Self.call(desk, for: pat.id)
            #expect(open.status == .created, "\(open.json)")
            #expect(open.string["channel"] == "phone")
            let freePlan = try await Self.call(desk, for: fay.id)
            #expect(freePlan.status == .forbidden && freePlan.string["detail"]?.contains("the free plan has no phone support") == true)
        }
    }

    @Test(arguments: TestDatabase.all) func plixerTierTwoTakesCallsAroundTheClock(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-03T03:00:00Z", on: database) { desk in  // Monday 22:00 EST
            let standard = try await desk.organization("plixer", plan: "standard", prefix: "STD")
            let tierTwo = try await desk.organization("plixer", plan: "tier-2", prefix: "TWO")
            let s = try await desk.person(in: standard, email: "s@std.test", role: "user")
            let t = try await desk.person(in: tierTwo, email: "t@two.test", role: "user")
            #expect(try await Self.call(desk, for: s.id, priority: "severity-1").status == .forbidden)
            #expect(try await Self.call(desk, for: t.id, priority: "severity-1").status == .created)
        }
    }

    @Test(arguments: TestDatabase.all) func plexPhoneIsForP1(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-22T01:00:00Z", on: database) { desk in  // Saturday 20:00 in Detroit
            let org = try await desk.organization("plex", plan: "silver", prefix: "PHN")
            let contact = try await desk.person(in: org, email: "c@phn.test", role: "authorized-contact")
            #expect(try await Self.call(desk, for: contact.id, priority: "p1").status == .created, "P1 by phone, 24x7")
            let p2 = try await Self.call(desk, for: contact.id, priority: "p2")
            #expect(p2.status == .forbidden && p2.string["field"] == "channel")
        }
    }
}
