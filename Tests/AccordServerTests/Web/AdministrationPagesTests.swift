import Foundation
import Testing
import VaporTesting

/// The console's administration: a customer's account and subscription, its people, the staff —
/// each form refused with the API's own words beside the field, carried out by the same service as
/// the API (checked by reading the result back through the API), and closed to those the API
/// refuses.
@Suite struct AdministrationPagesTests {
    /// A manager runs Plex's subscription from the customer's page: plan change, notice of
    /// non-renewal (due 90 days before the term ends), its withdrawal, an extension.
    @Test(arguments: TestDatabase.all) func aManagerRunsTheSubscriptionFromTheCustomersPage(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-09-01T16:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let console = try await WebClient.signedIn(desk, manager.id, "mia@provider.test")
            let page = try await console.get("/console/customers/\(org)")
            #expect(page.status == .ok && page.text.contains("Notice is due by 2026-10-03"), "Plex: 90 days before the term's end on 2026-12-31")

            // Refused with the API's words, beside the field, the form open and holding what was typed.
            let bad = try await console.post("/console/customers/\(org)/account/plan", [("plan", "silver"), ("effective", "2026-13-01"), ("reason", "budget")])
            let api = try await desk.call(.POST, "/api/v1/organizations/\(org)/plan-changes", token: desk.adminToken,
                                          body: #"{"plan":"silver","effective":"2026-13-01"}"#)
            #expect(bad.status == api.status && bad.status == .unprocessableEntity)
            let detail = try #require(api.string["detail"])
            #expect(bad.html.contains(#"<p class="field-error" id="plan-effective-error">"#) && bad.text.contains(detail), "\(detail)")
            #expect(bad.html.contains(#"aria-invalid="true" aria-describedby="plan-effective-error""#))
            #expect(bad.html.contains(#"value="2026-13-01""#) && bad.html.contains(#"<details class="panel form" open>"#))

            let changed = try await console.post("/console/customers/\(org)/account/plan", [("plan", "silver"), ("effective", "2026-10-01"), ("reason", "budget")])
            #expect(changed.status == .seeOther)
            let shown = try await console.get(try #require(changed.location))
            #expect(shown.text.contains("Recorded: plan gold → silver from 2026-10-01: budget."), "\(shown.text)")
            let account = try await desk.call(.GET, "/api/v1/organizations/\(org)", token: desk.adminToken)
            let subscription = try #require(account["subscription"] as? [String: Any])
            #expect((subscription["planChanges"] as? [[String: Any]])?.last?["plan"] as? String == "silver")

            // Notice of non-renewal today; a manager may not back-date it (the API's rule, shown in the form).
            let backdated = try await console.post("/console/customers/\(org)/account/notice", [("givenOn", "2026-08-01"), ("reason", "letter")])
            #expect(backdated.status == .forbidden && backdated.html.contains(#"id="notice-problem""#)
                    && backdated.text.contains("only an administrator may record a notice given before today (2026-09-01)"))
            #expect(try await console.post("/console/customers/\(org)/account/notice", [("givenOn", "2026-09-01"), ("reason", "")]).status == .seeOther)
            let ending = try await desk.call(.GET, "/api/v1/organizations/\(org)", token: desk.adminToken)
            #expect((ending["subscription"] as? [String: Any])?["endsOn"] as? String == "2026-12-31")
            let withNotice = try await console.get("/console/customers/\(org)")
            #expect(withNotice.text.contains("Withdraw the notice of non-renewal") && !withNotice.text.contains("Record notice of non-renewal"))
            #expect(try await console.post("/console/customers/\(org)/account/notice-withdrawal", []).status == .seeOther)
            let renewing = try await desk.call(.GET, "/api/v1/organizations/\(org)", token: desk.adminToken)
            #expect((renewing["subscription"] as? [String: Any])?["endsOn"] == nil)

            let extended = try await console.post("/console/customers/\(org)/account/extension", [("termEnd", "2027-03-31"), ("reason", "aligned with the fiscal year")])
            #expect(extended.status == .seeOther)
            let longer = try await desk.call(.GET, "/api/v1/organizations/\(org)", token: desk.adminToken)
            #expect(((longer["subscription"] as? [String: Any])?["currentTerm"] as? [String: Any])?["end"] as? String == "2027-03-31", "\(longer.json)")
            let history = try await desk.list("/api/v1/organizations/\(org)/history", token: desk.adminToken)
            #expect(history.map { $0["kind"] as? String } == ["created", "plan-change", "non-renewal-notice", "non-renewal-withdrawn", "extension"])
            let extendedPage = try await console.get("/console/customers/\(org)")
            #expect(extendedPage.text.contains("2026-01-01 to 2027-03-31"), "the page shows the term in force, extended")
            #expect(history.dropFirst().allSatisfy { $0["actor"] as? String == manager.id }, "each change is the manager's")

            // An agent reads the account but changes nothing.
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            let agent = try await WebClient.signedIn(desk, tia.id, "tia@provider.test")
            let read = try await agent.get("/console/customers/\(org)")
            #expect(read.status == .ok && !read.text.contains("Change the plan"))
            #expect(try await agent.post("/console/customers/\(org)/account/plan", [("plan", "gold"), ("effective", "2026-10-01")]).status == .forbidden)
        }
    }

    /// Opening a customer's account from the list: a plan and region of one policy, the first term
    /// and the case prefix — refused beside the field, then opened.
    @Test(arguments: TestDatabase.all) func aManagerOpensACustomersAccount(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-09-01T16:00:00Z", on: database) { desk in
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let console = try await WebClient.signedIn(desk, manager.id, "mia@provider.test")
            #expect(try await console.get("/console/customers").text.contains("Open a customer's account"))
            var fields = [("name", "Nordic AS"), ("plan", "plex:gold"), ("region", "plex:global"), ("termStart", "2026-09-01"),
                          ("termEnd", "2027-08-31"), ("automaticRenewal", ""), ("casePrefix", "no")]
            let bad = try await console.post("/console/customers", fields)
            #expect(bad.status == .unprocessableEntity && bad.html.contains(#"id="open-casePrefix-error""#)
                    && bad.text.contains("casePrefix must be 2-10 capital letters or digits"))
            #expect(bad.html.contains(#"value="Nordic AS""#), "what was typed stays")
            fields[6] = ("casePrefix", "NORD")
            let opened = try await console.post("/console/customers", fields)
            #expect(opened.status == .seeOther)
            let page = try await console.get(try #require(opened.location))
            #expect(page.text.contains("Nordic AS") && page.text.contains("2026-09-01 to 2027-08-31"))
            let list = try await desk.list("/api/v1/organizations", token: desk.adminToken)
            let created = try #require(list.first { $0["name"] as? String == "Nordic AS" })
            #expect(created["casePrefix"] as? String == "NORD" && created["region"] as? String == "global")
            #expect((created["subscription"] as? [String: Any])?["automaticRenewal"] as? Bool == true, "Plex renews automatically unless told otherwise")
        }
    }

    /// A customer's person managed from their page: promoted within the plan's allowance (beyond
    /// it only with the fee accepted), deactivated with a reason, reactivated.
    @Test(arguments: TestDatabase.all) func aCustomersPersonIsManagedOnTheirPage(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "silver", prefix: "TWO")
            _ = try await desk.person(in: org, email: "a@two.test", role: "authorized-contact")
            _ = try await desk.person(in: org, email: "b@two.test", role: "authorized-contact")
            let bo = try await desk.person(in: org, email: "bo@two.test", role: "user")
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let console = try await WebClient.signedIn(desk, manager.id, "mia@provider.test")
            let customer = try await console.get("/console/customers/\(org)")
            #expect(customer.html.contains(#"<a href="/console/people/\#(bo.id)">"#), "each person links to their page")
            let page = try await console.get("/console/people/\(bo.id)")
            #expect(page.status == .ok && page.text.contains("Change name, email or role") && page.text.contains("TWO Inc"))

            let tiered = try await console.post("/console/people/\(bo.id)/change/edit", [("name", "bo@two.test"), ("email", "bo@two.test"), ("tier", "2")])
            #expect(tiered.status == .unprocessableEntity && tiered.text.contains("a customer's person works in no tier"), "a forged tier is refused, not ignored")
            let promote = [("name", "bo@two.test"), ("email", "bo@two.test"), ("role", "authorized-contact")]
            let beyond = try await console.post("/console/people/\(bo.id)/change/edit", promote)
            #expect(beyond.status == .conflict && beyond.text.contains("the plan includes 2 authorized contacts"), "\(beyond.text)")
            #expect(try await console.post("/console/people/\(bo.id)/change/edit", promote + [("acknowledgeFee", "yes")]).status == .seeOther)
            let promoted = try await desk.call(.GET, "/api/v1/people/\(bo.id)", token: desk.adminToken)
            #expect(promoted.string["role"] == "authorized-contact" && promoted["billableOverage"] as? Bool == true)

            let noReason = try await console.post("/console/people/\(bo.id)/change/deactivation", [("reason", " ")])
            #expect(noReason.status == .unprocessableEntity && noReason.html.contains(#"id="deactivation-reason-error""#))
            let left = try await console.post("/console/people/\(bo.id)/change/deactivation", [("reason", "left TWO Inc")])
            #expect(left.status == .seeOther)
            let gone = try await console.get(try #require(left.location))
            #expect(gone.text.contains("deactivated") && gone.text.contains("Reactivate") && gone.text.contains("left TWO Inc"))
            #expect(try await desk.call(.GET, "/api/v1/people/\(bo.id)", token: desk.adminToken)["deactivated"] as? Bool == true)
            #expect(try await console.post("/console/people/\(bo.id)/change/reactivation", [("reason", "")]).status == .seeOther)
            #expect(try await desk.call(.GET, "/api/v1/people/\(bo.id)", token: desk.adminToken)["deactivated"] as? Bool == false)

            // An agent reads the person but changes nothing.
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            let agent = try await WebClient.signedIn(desk, tia.id, "tia@provider.test")
            let read = try await agent.get("/console/people/\(bo.id)")
            #expect(read.status == .ok && !read.text.contains("Change name, email or role"))
            #expect(try await agent.post("/console/people/\(bo.id)/change/deactivation", [("reason", "x")]).status == .forbidden)
        }
    }

    /// Administrators add and change the staff; managers see them but may not.
    @Test(arguments: TestDatabase.all) func administratorsManageTheStaff(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            let ada = try await WorkDeskTests.staff(desk, "ada@provider.test", role: "admin", tier: nil)
            let admin = try await WebClient.signedIn(desk, ada.id, "ada@provider.test")
            let staff = try await admin.get("/console/staff")
            #expect(staff.status == .ok && staff.text.contains("tia@provider.test") && staff.text.contains("Add a member of staff"))
            let noTier = try await admin.post("/console/staff", [("name", "Sam"), ("email", "sam@provider.test"), ("role", "agent"), ("tier", "")])
            #expect(noTier.status == .unprocessableEntity && noTier.html.contains(#"id="staff-tier-error""#) && noTier.text.contains("an agent works in a tier"))
            let added = try await admin.post("/console/staff", [("name", "Sam"), ("email", "sam@provider.test"), ("role", "agent"), ("tier", "2")])
            #expect(added.status == .seeOther)
            let sam = try await admin.get(try #require(added.location))
            #expect(sam.text.contains("Added sam@provider.test. Invite them to set a password.") && sam.text.contains("tier 2"))
            let invited = try await admin.post(String(added.location!.split(separator: "?")[0]) + "/invitation", [])
            #expect(invited.status == .created && invited.html.contains("/invitations/aci_"))
            let listed = try await desk.call(.GET, "/api/v1/staff", token: desk.adminToken)
            #expect((listed["items"] as? [[String: Any]])?.contains { $0["email"] as? String == "sam@provider.test" && $0["tier"] as? Int == 2 } == true)

            let moved = try await admin.post("/console/people/\(tia.id)/change/edit", [("name", "Tia"), ("email", "tia@provider.test"), ("role", "agent"), ("tier", "2")])
            #expect(moved.status == .seeOther)
            let tiaNow = try await desk.call(.GET, "/api/v1/people/\(tia.id)", token: desk.adminToken)
            #expect(tiaNow["tier"] as? Int == 2 && tiaNow.string["name"] == "Tia")

            let mia = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let manager = try await WebClient.signedIn(desk, mia.id, "mia@provider.test")
            let read = try await manager.get("/console/staff")
            #expect(read.status == .ok && read.text.contains("Tia") && !read.text.contains("Add a member of staff"))
            #expect(try await manager.get("/console/people/\(tia.id)").text.contains("Change name, email or role") == false)
            let refused = try await manager.post("/console/people/\(tia.id)/change/edit", [("name", "T"), ("email", "tia@provider.test"), ("role", "agent"), ("tier", "1")])
            #expect(refused.status == .forbidden && refused.text.contains("only administrators manage the provider's staff"))
            #expect(try await manager.post("/console/staff", [("name", "X"), ("email", "x@provider.test"), ("role", "agent"), ("tier", "1")]).status == .forbidden)
        }
    }

    /// A manager staffs a queue's team from its page: agents of the team's tier only, as the API.
    @Test(arguments: TestDatabase.all) func aManagerStaffsAQueue(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            let ted = try await WorkDeskTests.staff(desk, "ted@provider.test", tier: 2)
            let mia = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let manager = try await WebClient.signedIn(desk, mia.id, "mia@provider.test")
            let queue = "pro-plus.tier-1"
            let page = try await manager.get("/console/queues/\(queue)")
            #expect(page.status == .ok && page.text.contains("No members yet."))
            #expect(page.html.contains(#"<option value="\#(tia.id.uppercased())">"#) && !page.html.contains(ted.id.uppercased()),
                    "only agents of the team's tier are offered")
            let wrongTier = try await manager.post("/console/queues/\(queue)/members", [("person", ted.id), ("languages", "")])
            #expect(wrongTier.status == .unprocessableEntity && wrongTier.html.contains(#"id="member-person-error""#)
                    && wrongTier.text.contains("ted@provider.test works tier 2"))
            let badLanguage = try await manager.post("/console/queues/\(queue)/members", [("person", tia.id), ("languages", "en, english")])
            #expect(badLanguage.status == .unprocessableEntity && badLanguage.text.contains("'english' is not a language code"))
            #expect(try await manager.post("/console/queues/\(queue)/members", [("person", tia.id), ("lead", "yes"), ("languages", "en")]).status == .seeOther)
            let api = try await desk.call(.GET, "/api/v1/queues/\(queue)", token: desk.adminToken)
            let members = try #require(api["members"] as? [[String: Any]])
            #expect(members.count == 1 && members[0]["person"] as? String == tia.id && members[0]["lead"] as? Bool == true)
            #expect(try await manager.get("/console/queues/\(queue)").text.contains("tia@provider.test · lead · languages: en"))
            // An agent sees the team and changes nothing.
            let agent = try await WebClient.signedIn(desk, tia.id, "tia@provider.test")
            let read = try await agent.get("/console/queues/\(queue)")
            #expect(read.text.contains("tia@provider.test") && !read.text.contains("Add a member"))
            #expect(try await agent.post("/console/queues/\(queue)/members/\(tia.id)/removal", []).status == .forbidden)
            #expect(try await manager.post("/console/queues/\(queue)/members/\(tia.id)/removal", []).status == .seeOther)
            let after = try await desk.call(.GET, "/api/v1/queues/\(queue)", token: desk.adminToken)
            #expect((after["members"] as? [[String: Any]])?.isEmpty == true)
        }
    }
}
