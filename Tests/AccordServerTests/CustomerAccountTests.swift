import Foundation
import Testing
import VaporTesting

/// Subscriptions, authorized contacts and erasure over the API, on every test database.
@Suite struct CustomerAccountTests {
    @Test(arguments: TestDatabase.all) func plexNoticeOfNonRenewalMustArriveNinetyDaysBeforeTheTermEnds(_ database: TestDatabase) async throws {
        // 2026-10-04 in Detroit: one day past the notice deadline of a term ending 2026-12-31.
        try await DeskHarness.run(at: "2026-10-04T16:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "gold", prefix: "LATE")
            let shown = try await desk.call(.GET, "/api/v1/organizations/\(org)", token: desk.adminToken)
            let subscription = try #require(shown["subscription"] as? [String: Any])
            #expect(subscription["noticeDeadline"] as? String == "2026-10-03")
            #expect(subscription["automaticRenewal"] as? Bool == true)
            #expect(subscription["endsOn"] == nil)

            let late = try await desk.call(.POST, "/api/v1/organizations/\(org)/non-renewal", token: desk.adminToken)
            #expect(late.status == .conflict)
            #expect(late.string["detail"]?.contains("must arrive at least 90 days before the term ends on 2026-12-31, that is by 2026-10-03") == true)
            // A notice received in time but recorded late is dated when it arrived (an administrator says why).
            let onTime = try await desk.call(.POST, "/api/v1/organizations/\(org)/non-renewal", token: desk.adminToken,
                                             body: #"{"givenOn":"2026-10-03","reason":"arrived by post on the 3rd"}"#)
            #expect(onTime.status == .created, "\(onTime.json)")
            #expect((onTime["subscription"] as? [String: Any])?["endsOn"] as? String == "2026-12-31")
            let again = try await desk.call(.POST, "/api/v1/organizations/\(org)/non-renewal", token: desk.adminToken,
                                            body: #"{"givenOn":"2026-10-03","reason":"again"}"#)
            #expect(again.status == .conflict)
            let future = try await desk.call(.POST, "/api/v1/organizations/\(org)/non-renewal", token: desk.adminToken, body: #"{"givenOn":"2027-01-01"}"#)
            #expect(future.status == .unprocessableEntity)
            #expect(future.string["field"] == "givenOn")
            let history = try await desk.list("/api/v1/organizations/\(org)/history", token: desk.adminToken)
            #expect(history.map { $0["kind"] as? String } == ["created", "non-renewal-notice"])

            // The customer changes its mind before the term ends: the notice is withdrawn, audited,
            // and the subscription renews again; a second withdrawal has nothing to withdraw.
            let agent = try await WorkDeskTests.staff(desk, "ann@provider.test")
            #expect(try await desk.call(.DELETE, "/api/v1/organizations/\(org)/non-renewal", token: agent.token).status == .forbidden)
            let withdrawn = try await desk.call(.DELETE, "/api/v1/organizations/\(org)/non-renewal", token: desk.adminToken)
            #expect(withdrawn.status == .ok, "\(withdrawn.json)")
            let renewing = try #require(withdrawn["subscription"] as? [String: Any])
            #expect(renewing["endsOn"] == nil && renewing["noticeDeadline"] as? String == "2026-10-03")
            let after = try await desk.list("/api/v1/organizations/\(org)/history", token: desk.adminToken)
            #expect(after.map { $0["kind"] as? String } == ["created", "non-renewal-notice", "non-renewal-withdrawn"])
            #expect((after.last?["detail"] as? String)?.contains("withdrawn on 2026-10-04; the subscription renews on 2027-01-01") == true, "\(after.last ?? [:])")
            let nothing = try await desk.call(.DELETE, "/api/v1/organizations/\(org)/non-renewal", token: desk.adminToken)
            #expect(nothing.status == .conflict && nothing.string["detail"] == "no notice of non-renewal stands: the subscription renews")
            // Once the notice has taken effect, it is too late to withdraw it.
            #expect(try await desk.call(.POST, "/api/v1/organizations/\(org)/non-renewal", token: desk.adminToken, body: #"{"givenOn":"2026-10-01","reason":"the letter of 1 October"}"#).status == .created)
            desk.set("2027-01-05T16:00:00Z")
            let tooLate = try await desk.call(.DELETE, "/api/v1/organizations/\(org)/non-renewal", token: desk.adminToken)
            #expect(tooLate.status == .conflict && tooLate.string["detail"] == "the notice given on 2026-10-01 took effect: the subscription ended on 2026-12-31; reactivate it instead",
                    "\(tooLate.json)")
        }
    }

    @Test(arguments: TestDatabase.all) func planChangesAreDatedAndAudited(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-25T20:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "silver", prefix: "UP")
            let contact = try await desk.person(in: org, email: "ann@up.test", role: "authorized-contact")
            let change = try await desk.call(.POST, "/api/v1/organizations/\(org)/plan-changes", token: desk.adminToken,
                                             body: #"{"plan":"gold","effective":"2026-11-26","reason":"upgrade order 4711"}"#)
            #expect(change.status == .created, "\(change.json)")
            #expect((change["subscription"] as? [String: Any])?["plan"] as? String == "silver")
            // Silver P2 on Wednesday 15:00 before Thanksgiving: 24 business hours.
            let before = try await desk.call(.POST, "/api/v1/cases", token: contact.token,
                                             body: #"{"title":"Slow","description":"Reports slow","priority":"p2","channel":"web"}"#)
            #expect(before.string["plan"] == "silver")
            #expect(desk.clock(before)?["target"] as? String == "24 business hours")
            desk.set("2026-11-26T15:00:00Z")
            let after = try await desk.call(.POST, "/api/v1/cases", token: contact.token,
                                            body: #"{"title":"Slow","description":"Reports slow","priority":"p2","channel":"web"}"#)
            #expect(after.string["plan"] == "gold")
            #expect(desk.clock(after)?["target"] as? String == "12 business hours")
            let history = try await desk.list("/api/v1/organizations/\(org)/history", token: contact.token)
            let entry = try #require(history.first { $0["kind"] as? String == "plan-change" })
            #expect(entry["detail"] as? String == "plan silver → gold from 2026-11-26: upgrade order 4711")
            #expect(entry["effective"] as? String == "2026-11-26")
            #expect(entry["actor"] as? String != nil)
            let unknown = try await desk.call(.POST, "/api/v1/organizations/\(org)/plan-changes", token: desk.adminToken,
                                              body: #"{"plan":"diamond","effective":"2026-12-01"}"#)
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.string["field"] == "plan")
            let customer = try await desk.call(.POST, "/api/v1/organizations/\(org)/plan-changes", token: contact.token,
                                               body: #"{"plan":"gold","effective":"2026-12-01"}"#)
            #expect(customer.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all) func authorizedContactsBeyondThePlanAreBillable(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "silver", prefix: "TWO")
            _ = try await desk.person(in: org, email: "a@two.test", role: "authorized-contact")
            _ = try await desk.person(in: org, email: "b@two.test", role: "authorized-contact")
            let third = try await desk.call(.POST, "/api/v1/organizations/\(org)/people", token: desk.adminToken,
                                            body: #"{"name":"C","email":"c@two.test","role":"authorized-contact"}"#)
            #expect(third.status == .conflict)
            #expect(third.string["detail"]?.contains("the plan includes 2 authorized contacts") == true)
            #expect(third.string["detail"]?.contains("acknowledgeFee") == true)
            let paid = try await desk.call(.POST, "/api/v1/organizations/\(org)/people", token: desk.adminToken,
                                           body: #"{"name":"C","email":"c@two.test","role":"authorized-contact","acknowledgeFee":true}"#)
            #expect(paid.status == .created)
            #expect(paid["billableOverage"] as? Bool == true)
            // Users are not limited.
            _ = try await desk.person(in: org, email: "u@two.test", role: "user")
            let shown = try await desk.call(.GET, "/api/v1/organizations/\(org)", token: desk.adminToken)
            let contacts = try #require(shown["authorizedContacts"] as? [String: Any])
            #expect(contacts["included"] as? Int == 2)
            #expect(contacts["used"] as? Int == 3)
            #expect(contacts["billableOverage"] as? Int == 1)
            let history = try await desk.list("/api/v1/organizations/\(org)/history", token: desk.adminToken)
            #expect(history.filter { $0["kind"] as? String == "billable-overage" }.count == 1)
            // Gold allows four.
            let gold = try await desk.organization("plex", plan: "gold", prefix: "FOUR")
            for i in 1...4 { _ = try await desk.person(in: gold, email: "c\(i)@four.test", role: "authorized-contact") }
            let fifth = try await desk.call(.POST, "/api/v1/organizations/\(gold)/people", token: desk.adminToken,
                                            body: #"{"name":"E","email":"c5@four.test","role":"authorized-contact"}"#)
            #expect(fifth.status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.all) func erasureRemovesPersonalDataAndKeepsTheSLAFacts(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "GDPR")
            let anna = try await desk.person(in: plm, email: "anna@gdpr.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase())
            let id = try #require(logged.string["id"])
            _ = try await desk.call(.POST, "/api/v1/cases/\(id)/events", token: anna.token, body: #"{"kind":"customer-message","body":"My phone is 555-0100"}"#)
            desk.set("2026-03-02T10:00:00Z")
            _ = try await desk.call(.POST, "/api/v1/cases/\(id)/events", token: desk.adminToken, body: #"{"kind":"public-reply","body":"Hello Anna"}"#)
            let erased = try await desk.call(.POST, "/api/v1/people/\(anna.id)/erasure", token: desk.adminToken)
            #expect(erased.status == .ok)
            #expect(erased.string["name"] == "Erased person")
            #expect(erased["erased"] as? Bool == true)
            #expect(try await desk.call(.GET, "/api/v1/me", token: anna.token).status == .unauthorized)
            let after = try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken)
            #expect(after.string["description"] == "[erased]")
            #expect((after["details"] as? [String: Any])?["contactPhone"] == nil)
            let events = try #require(after["events"] as? [[String: Any]])
            #expect(events.filter { $0["actor"] as? String == anna.id }.allSatisfy { $0["body"] as? String == "[erased]" })
            #expect(events.contains { $0["body"] as? String == "Hello Anna" })  // staff's words are the provider's record
            // The SLA facts stay: priority, times, the met clock.
            #expect(after.string["priority"] == "critical")
            #expect(after.string["loggedAt"] == "2026-03-02T09:00:00Z")
            #expect(desk.clock(after)?["state"] as? String == "met")
            let customer = try await desk.person(in: plm, email: "other@gdpr.test", role: "user")
            #expect(try await desk.call(.POST, "/api/v1/people/\(anna.id)/erasure", token: customer.token).status == .forbidden)
        }
    }
}

/// The account rules that keep a customer's record honest: one prefix per customer, contacts
/// beyond a downgraded plan billed, a TAM only where the plan grants one.
@Suite(.serialized) struct AccountRulesTests {
    @Test(arguments: TestDatabase.all) func twoCustomersNeverShareACasePrefix(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            _ = try await desk.organization("plixer", plan: "standard", prefix: "ACME")
            let second = try await desk.call(.POST, "/api/v1/organizations", token: desk.adminToken, body: """
                {"name":"Acme Other","policy":"plex","plan":"gold","termStart":"2026-01-01","termEnd":"2026-12-31","casePrefix":"ACME"}
                """)
            #expect(second.status == .conflict)
            #expect(second.string["detail"]?.contains("ACME Inc") == true)
        }
    }

    @Test(arguments: TestDatabase.all) func aDowngradeBillsTheContactsBeyondTheNewAllowance(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T14:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "gold", prefix: "DOWN")
            var contacts: [String] = []
            for name in ["a", "b", "c", "d"] {
                contacts.append(try await desk.person(in: org, email: "\(name)@down.test", role: "authorized-contact").id)
            }
            let changed = try await desk.call(.POST, "/api/v1/organizations/\(org)/plan-changes", token: desk.adminToken,
                                              body: #"{"plan":"silver","effective":"2026-04-01","reason":"budget"}"#)
            #expect(changed.status == .created, "\(changed.json)")
            let people = try await desk.list("/api/v1/organizations/\(org)/people", token: desk.adminToken)
            let billed = people.filter { $0["billableOverage"] as? Bool == true }.compactMap { $0["id"] as? String }
            #expect(Set(billed) == Set(contacts.suffix(2)), "silver includes 2: the two added last are billed")
            let history = try await desk.list("/api/v1/organizations/\(org)/history", token: desk.adminToken)
            let overage = history.filter { $0["kind"] as? String == "billable-overage" }
            #expect(overage.count == 2)
            #expect(overage.allSatisfy { ($0["detail"] as? String)?.contains("billed as an overage from 2026-04-01") == true })
        }
    }

    @Test(arguments: TestDatabase.all) func aTAMOnlyWhereThePlanGrantsOne(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T14:00:00Z", on: database) { desk in
            let silver = try await desk.organization("plex", plan: "silver", prefix: "NOTAM")
            let gold = try await desk.organization("plex", plan: "gold", prefix: "TAM")
            let tam = try await WorkDeskTests.staff(desk, "tina@provider.test", role: "tam", tier: nil)
            let refused = try await desk.call(.PUT, "/api/v1/organizations/\(silver)/roles/tam", token: desk.adminToken, body: #"{"person":"\#(tam.id)"}"#)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.string["detail"]?.contains("grants no technical account manager") == true)
            #expect(try await desk.call(.PUT, "/api/v1/organizations/\(gold)/roles/tam", token: desk.adminToken, body: #"{"person":"\#(tam.id)"}"#).status == .noContent)
            // The TAM leaves: the role is vacated and the history says so.
            #expect(try await desk.call(.POST, "/api/v1/people/\(tam.id)/erasure", token: desk.adminToken).status == .ok)
            let history = try await desk.list("/api/v1/organizations/\(gold)/history", token: desk.adminToken)
            #expect(history.contains { $0["kind"] as? String == "role-vacated" && $0["value"] as? String == "tam" })
        }
    }
}
