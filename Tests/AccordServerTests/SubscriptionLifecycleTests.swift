import Foundation
import Testing
import VaporTesting

/// A customer's term over the years: renewals, extensions, reactivation after a lapse as the policy
/// allows, back-dated notices and edits — each audited, each refused with the field and the reason.
@Suite struct SubscriptionLifecycleTests {
    static func history(_ desk: DeskHarness, _ org: String) async throws -> [[String: Any]] {
        try await desk.list("/api/v1/organizations/\(org)/history", token: desk.adminToken)
    }

    static func subscription(_ reply: DeskHarness.Reply) -> [String: Any] {
        reply["subscription"] as? [String: Any] ?? [:]
    }

    /// plex: no reactivation unless the customer is current on all fees and buys a new plan "with a
    /// Term of Use beginning on the date of expiration" — then new cases run on the new plan.
    @Test(arguments: TestDatabase.all) func aLapsedPlexCustomerIsReactivatedFromTheExpiry(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2025-10-01T13:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "gold", prefix: "REACT", termStart: "2025-02-02", termEnd: "2026-02-01")
            let contact = try await desk.person(in: org, email: "c@react.test", role: "authorized-contact")
            let manager = try await WorkDeskTests.staff(desk, "m@provider.test", role: "manager", tier: nil)
            let agent = try await WorkDeskTests.staff(desk, "a@provider.test")
            #expect(try await desk.call(.POST, "/api/v1/organizations/\(org)/non-renewal", token: desk.adminToken).status == .created)
            desk.set("2026-03-02T15:00:00Z")  // Monday 10:00 in Detroit, a month after the lapse
            let p2 = #"{"title":"Scheduling slow","description":"MRP run takes hours","priority":"p2","channel":"web"}"#
            #expect(try await desk.call(.POST, "/api/v1/cases", token: contact.token, body: p2).status == .forbidden)

            let renew = try await desk.call(.POST, "/api/v1/organizations/\(org)/renewals", token: manager.token, body: #"{"termEnd":"2027-02-01"}"#)
            #expect(renew.status == .conflict)
            #expect(renew.string["detail"] == "the subscription lapsed: it ended on 2026-02-01; reactivate it instead")
            let body = #"{"plan":"platinum","termEnd":"2027-02-01","feesCurrent":true,"reason":"PO 4711"}"#
            #expect(try await desk.call(.POST, "/api/v1/organizations/\(org)/reactivations", token: agent.token, body: body).status == .forbidden)
            #expect(try await desk.call(.POST, "/api/v1/organizations/\(org)/reactivations", token: contact.token, body: body).status == .forbidden)
            let unpaid = try await desk.call(.POST, "/api/v1/organizations/\(org)/reactivations", token: manager.token,
                                             body: #"{"plan":"platinum","termEnd":"2027-02-01"}"#)
            #expect(unpaid.status == .unprocessableEntity)
            #expect(unpaid.string["field"] == "feesCurrent" && unpaid.string["detail"]?.contains("current on all fees") == true)
            let over = try await desk.call(.POST, "/api/v1/organizations/\(org)/reactivations", token: manager.token,
                                           body: #"{"plan":"platinum","termEnd":"2026-02-28","feesCurrent":true}"#)
            #expect(over.status == .unprocessableEntity && over.string["field"] == "termEnd", "\(over.json)")
            #expect(over.string["detail"]?.contains("would be over already on 2026-03-02") == true)
            let unknown = try await desk.call(.POST, "/api/v1/organizations/\(org)/reactivations", token: manager.token,
                                              body: #"{"plan":"diamond","termEnd":"2027-02-01","feesCurrent":true}"#)
            #expect(unknown.status == .unprocessableEntity && unknown.string["field"] == "plan")

            let back = try await desk.call(.POST, "/api/v1/organizations/\(org)/reactivations", token: manager.token, body: body)
            #expect(back.status == .created, "\(back.json)")
            let state = Self.subscription(back)
            #expect(state["status"] as? String == "active" && state["plan"] as? String == "platinum")
            #expect(state["lapses"] as? [String] == ["2026-02-01"])
            #expect((state["terms"] as? [[String: String]])?.last == ["start": "2026-02-02", "end": "2027-02-01"], "the new term begins on the expiry")
            #expect(state["currentTerm"] as? [String: String] == ["start": "2026-02-02", "end": "2027-02-01"])
            #expect(state["nonRenewalNotice"] == nil && state["endsOn"] == nil, "the new term renews again")
            #expect(state["noticeDeadline"] as? String == "2026-11-04")
            let history = try await Self.history(desk, org)
            #expect(Array(history.suffix(3)).compactMap { $0["kind"] as? String } == ["lapse", "reactivation", "plan-change"])
            let entry = try #require(history.first { $0["kind"] as? String == "reactivation" })
            #expect(entry["actor"] as? String == manager.id)
            #expect(entry["effective"] as? String == "2026-02-02" && entry["value"] as? String == "2027-02-01")
            #expect(entry["detail"] as? String == "reactivated on 2026-03-02 with platinum for a term from 2026-02-02 to 2027-02-01; current on all fees, confirmed by m@provider.test: PO 4711")

            // The customer's new cases run on the new term's plan.
            let logged = try await desk.call(.POST, "/api/v1/cases", token: contact.token, body: p2)
            #expect(logged.status == .created, "\(logged.json)")
            #expect(logged.string["plan"] == "platinum")
            #expect(desk.clock(logged)?["state"] as? String == "running")
            let plan = try await desk.call(.GET, "/api/v1/organizations/\(org)/plan", token: contact.token)
            #expect(plan.string["plan"] == "platinum", "\(plan.json)")
            // Reactivated once: a second reactivation is refused while the term runs.
            let twice = try await desk.call(.POST, "/api/v1/organizations/\(org)/reactivations", token: manager.token, body: body)
            #expect(twice.status == .conflict && twice.string["detail"]?.contains("renew or extend it instead") == true)
        }
    }

    /// pro-plus does not renew by itself: staff renew it by hand, extend a term, and after a lapse
    /// (free support meanwhile) reactivate it from the day.
    @Test(arguments: TestDatabase.all) func renewalsAndExtensionsAreAuditedTerms(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "TERM")
            let path = "/api/v1/organizations/\(org)"
            let renewed = try await desk.call(.POST, "\(path)/renewals", token: desk.adminToken, body: #"{"termEnd":"2027-12-31","reason":"renewal order 2027"}"#)
            #expect(renewed.status == .created, "\(renewed.json)")
            #expect(Self.subscription(renewed)["endsOn"] as? String == "2027-12-31")
            let entry = try #require(try await Self.history(desk, org).last)
            #expect(entry["kind"] as? String == "renewal" && entry["effective"] as? String == "2027-01-01" && entry["value"] as? String == "2027-12-31")
            #expect(entry["detail"] as? String == "renewed for a term from 2027-01-01 to 2027-12-31: renewal order 2027")

            // The current term cannot be stretched into the renewal already recorded.
            let overlap = try await desk.call(.POST, "\(path)/extensions", token: desk.adminToken, body: #"{"termEnd":"2027-06-30"}"#)
            #expect(overlap.status == .unprocessableEntity && overlap.string["field"] == "termEnd")
            #expect(overlap.string["detail"]?.contains("already recorded from 2027-01-01 to 2027-12-31") == true)
            for (bad, field) in [(#"{"termEnd":"2027-02-30"}"#, "termEnd"), (#"{"termEnd":"2026-12-31"}"#, "termEnd"),
                                 (#"{"termEnd":"2027-01-15","reason":"  "}"#, "reason"), (#"{"termEnd":"2027-01-15","extra":1}"#, "extra")] {
                let refused = try await desk.call(.POST, "\(path)/extensions", token: desk.adminToken, body: bad)
                #expect(refused.status == .unprocessableEntity && refused.string["field"] == field, "\(bad): \(refused.json)")
            }
            let tooLong = try await desk.call(.POST, "\(path)/renewals", token: desk.adminToken, body: #"{"termEnd":"2040-01-01"}"#)
            #expect(tooLong.status == .conflict || tooLong.status == .unprocessableEntity)

            desk.set("2027-11-01T15:00:00Z")
            let extended = try await desk.call(.POST, "\(path)/extensions", token: desk.adminToken, body: #"{"termEnd":"2028-03-31"}"#)
            #expect(extended.status == .created, "\(extended.json)")
            #expect(Self.subscription(extended)["endsOn"] as? String == "2028-03-31")
            #expect(Self.subscription(extended)["currentTerm"] as? [String: String] == ["start": "2027-01-01", "end": "2028-03-31"])
            #expect(try await Self.history(desk, org).last?["detail"] as? String == "the term from 2027-01-01 extended from 2027-12-31 to 2028-03-31")

            // A lapse: free support meanwhile, then Pro Plus again from the day it is bought.
            desk.set("2028-05-02T15:00:00Z")
            let user = try await desk.person(in: org, email: "u@term.test", role: "user")
            let free = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Q","description":"How?","channel":"web"}"#)
            #expect(free.string["plan"] == "free", "\(free.json)")
            let back = try await desk.call(.POST, "\(path)/reactivations", token: desk.adminToken, body: #"{"plan":"pro-plus","termEnd":"2029-05-01"}"#)
            #expect(back.status == .created, "\(back.json)")
            #expect(Self.subscription(back)["lapses"] as? [String] == ["2028-03-31"])
            #expect(Self.subscription(back)["currentTerm"] as? [String: String] == ["start": "2028-05-02", "end": "2029-05-01"])
            let pro = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Q2","description":"How?","channel":"web"}"#)
            #expect(pro.string["plan"] == "pro-plus")
        }
    }

    /// A notice dated before the day it is recorded can cut a renewal short: only an administrator
    /// records one, and says why.
    @Test(arguments: TestDatabase.all) func aBackDatedNoticeNeedsAnAdministratorsReason(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-10-06T13:00:00Z", on: database) { desk in  // past the 3 October deadline
            let org = try await desk.organization("plex", plan: "gold", prefix: "BACK")
            let manager = try await WorkDeskTests.staff(desk, "m@back.test", role: "manager", tier: nil)
            let path = "/api/v1/organizations/\(org)/non-renewal"
            let late = try await desk.call(.POST, path, token: manager.token)
            #expect(late.status == .conflict && late.string["detail"]?.contains("too late") == true)
            let byManager = try await desk.call(.POST, path, token: manager.token, body: #"{"givenOn":"2026-10-01","reason":"letter filed late"}"#)
            #expect(byManager.status == .forbidden)
            #expect(byManager.string["detail"]?.contains("only an administrator") == true)
            let noReason = try await desk.call(.POST, path, token: desk.adminToken, body: #"{"givenOn":"2026-10-01"}"#)
            #expect(noReason.status == .unprocessableEntity && noReason.string["field"] == "reason")
            let given = try await desk.call(.POST, path, token: desk.adminToken,
                                            body: #"{"givenOn":"2026-10-01","reason":"registered letter received 1 October, filed late"}"#)
            #expect(given.status == .created, "\(given.json)")
            #expect(Self.subscription(given)["endsOn"] as? String == "2026-12-31")
            #expect(try await Self.history(desk, org).last?["detail"] as? String
                    == "notice of non-renewal given on 2026-10-01, recorded on 2026-10-06: registered letter received 1 October, filed late; the subscription ends on 2026-12-31")
        }
    }

    @Test(arguments: TestDatabase.all) func anOrganizationIsRenamedOrMovedAndNewCasesFollow(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let org = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "MOVE")
            let anna = try await desk.person(in: org, email: "anna@move.test", role: "user")
            let before = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(priority: "high"))
            #expect(before.string["region"] == "denmark")
            let path = "/api/v1/organizations/\(org)"
            #expect(try await desk.call(.PATCH, path, token: anna.token, body: #"{"name":"Mine"}"#).status == .forbidden)
            let unknown = try await desk.call(.PATCH, path, token: desk.adminToken, body: #"{"region":"atlantis"}"#)
            #expect(unknown.status == .unprocessableEntity && unknown.string["field"] == "region")
            #expect(unknown.string["detail"]?.contains("norway") == true)
            let nothing = try await desk.call(.PATCH, path, token: desk.adminToken, body: #"{"name":"MOVE Inc"}"#)
            #expect(nothing.status == .unprocessableEntity)
            #expect(try await desk.call(.PATCH, path, token: desk.adminToken, body: #"{"name":"  "}"#).string["field"] == "name")
            let moved = try await desk.call(.PATCH, path, token: desk.adminToken, body: #"{"name":"Move ApS","region":"sweden","reason":"moved HQ"}"#)
            #expect(moved.status == .ok, "\(moved.json)")
            #expect(moved.string["name"] == "Move ApS" && moved.string["region"] == "sweden")
            #expect(try await Self.history(desk, org).last?["detail"] as? String == "name MOVE Inc → Move ApS; region denmark → sweden: moved HQ")
            let after = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(priority: "high"))
            #expect(after.string["region"] == "sweden")
            let old = try await desk.call(.GET, "/api/v1/cases/\(try #require(before.string["id"]))", token: anna.token)
            #expect(old.string["region"] == "denmark", "a logged case keeps its calendar")
        }
    }
}
