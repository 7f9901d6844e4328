import Foundation
import Testing
import VaporTesting

/// Copying people on a case from its page: anyone who sees the case copies an address (CC); the
/// customer's authorized contacts and staff add case-team contacts, people of the customer only —
/// `CaseService.addWatcher`, as the API.
@Suite struct CaseWatchersPageTests {
    @Test(arguments: TestDatabase.all) func copiesAndCaseTeamFromTheCasePage(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let ann = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            let bob = try await desk.person(in: org, email: "bob@acme.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: ann.token, body: #"{"title":"T","description":"d","priority":"p3","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let contact = try await WebClient.signedIn(desk, ann.id, "ann@acme.test")
            let page = try await contact.get("/portal/cases/\(id)")
            #expect(page.text.contains("Copy someone on this case") && page.html.contains(#"value="team""#))
            let bad = try await contact.post("/cases/\(id)/watchers", [("email", "not an address"), ("kind", "cc")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("'not an address' is not an email address"))
            #expect(try await contact.post("/cases/\(id)/watchers", [("email", "cfo@acme.test"), ("kind", "cc")]).status == .seeOther)
            let outsider = try await contact.post("/cases/\(id)/watchers", [("email", "someone@else.test"), ("kind", "team")])
            #expect(outsider.status == .unprocessableEntity && outsider.text.contains("a case-team contact must be a person of the customer's organization"))
            #expect(try await contact.post("/cases/\(id)/watchers", [("email", "bob@acme.test"), ("kind", "team")]).status == .seeOther)
            let shown = try await contact.get("/portal/cases/\(id)")
            #expect(shown.text.contains("cfo@acme.test (CC)") && shown.text.contains("bob@acme.test (case team)"))
            let kinds = (try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken)["events"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.filter { $0 == "cc-added" || $0 == "team-added" } == ["cc-added", "team-added"])
            // A user copies, but is not offered the case team (and is refused it, as by the API).
            let user = try await WebClient.signedIn(desk, bob.id, "bob@acme.test")
            let userPage = try await user.get("/portal/cases/\(id)")
            #expect(userPage.status == .ok && !userPage.html.contains(#"value="team""#))
            #expect(try await user.post("/cases/\(id)/watchers", [("email", "ann@acme.test"), ("kind", "team")]).status == .forbidden)
        }
    }
}

/// Staff log a case for a customer's person from the console — a call taken — under the person's
/// policy: Pro Plus's phone support keeps tier 1's hours, refused outside them in the API's words.
@Suite struct ConsoleIntakeTests {
    @Test(arguments: TestDatabase.all) func anAgentLogsACallForACustomer(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-24T02:00:00Z", on: database) { desk in  // Monday 20:00 CST
            let paying = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "PAY")
            let pat = try await desk.person(in: paying, email: "pat@pay.test", role: "user")
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            let agent = try await WebClient.signedIn(desk, tia.id, "tia@provider.test")
            let person = try await agent.get("/console/people/\(pat.id)")
            #expect(person.html.contains("/console/cases/new?requester=\(pat.id)"))
            let form = try await agent.get("/console/cases/new?requester=\(pat.id)")
            #expect(form.status == .ok && form.text.contains("Log a case for pat@pay.test") && form.html.contains(#"<option value="phone""#))
            let fields = [("once", WebClient.hidden("once", in: form.html)!), ("requester", pat.id), ("title", "Called in"),
                          ("description", "Invoices fail"), ("channel", "phone")]
            let closed = try await agent.post("/console/cases", fields)
            #expect(closed.status == .forbidden && closed.text.contains("closed now; it opens 2026-11-24T07:00:00-06:00"), "\(closed.text)")
            desk.set("2026-11-24T16:00:00Z")  // Tuesday 10:00 CST, a new session
            let morning = try await WebClient.signedIn(desk, tia.id, "tia@provider.test")
            let again = try await morning.get("/console/cases/new?requester=\(pat.id)")
            let logged = try await morning.post("/console/cases", [("once", try #require(WebClient.hidden("once", in: again.html)))] + fields.dropFirst())
            #expect(logged.status == .seeOther && logged.location?.hasPrefix("/console/cases/") == true)
            let id = String(try #require(logged.location).split(separator: "/").last!)
            let api = try await desk.call(.GET, "/api/v1/cases/\(id)", token: pat.token)
            #expect(api.status == .ok && api.string["channel"] == "phone" && api.string["requester"] == pat.id, "the case is the customer's")
            #expect(try await morning.get("/console/cases/new?requester=\(tia.id)").status == .notFound, "staff log for a customer's person only")
            let customer = try await WebClient.signedIn(desk, pat.id, "pat@pay.test")
            #expect(try await customer.get("/console/cases/new?requester=\(pat.id)").status == .forbidden)
        }
    }
}

/// Forms that create something, posted twice — a double click, a reload — create once.
@Suite struct DoublePostTests {
    @Test(arguments: TestDatabase.all) func aReplyAnAccountAndAWebhookPostedTwiceAreMadeOnce(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let ann = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: ann.token, body: #"{"title":"T","description":"d","priority":"p3","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let browser = try await WebClient.signedIn(desk, ann.id, "ann@acme.test")
            let page = try await browser.get("/portal/cases/\(id)")
            let version = try #require(WebClient.hidden("version", in: page.html))
            let first = try await browser.postMultipart("/cases/\(id)/messages", [("version", version), ("body", "Any news?")])
            let second = try await browser.postMultipart("/cases/\(id)/messages", [("version", version), ("body", "Any news?")])
            #expect(first.status == .seeOther && second.status == .seeOther && second.location == first.location)
            let other = try await browser.postMultipart("/cases/\(id)/messages", [("version", version), ("body", "And one more thing")])
            #expect(other.status == .seeOther, "other words from the same page are another message")
            let events = try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken)["events"] as? [[String: Any]] ?? []
            #expect(events.filter { $0["kind"] as? String == "customer-message" }.compactMap { $0["body"] as? String } == ["Any news?", "And one more thing"])

            let ada = try await WorkDeskTests.staff(desk, "ada@provider.test", role: "admin", tier: nil)
            let admin = try await WebClient.signedIn(desk, ada.id, "ada@provider.test")
            let list = try await admin.get("/console/customers")
            let open = [("once", try #require(WebClient.hidden("once", in: list.html))), ("name", "Nordic AS"), ("plan", "plex:gold"), ("region", ""),
                        ("termStart", "2026-11-16"), ("termEnd", "2027-11-15"), ("automaticRenewal", ""), ("casePrefix", "NORD")]
            let opened = try await admin.post("/console/customers", open)
            let again = try await admin.post("/console/customers", open)
            #expect(opened.status == .seeOther && again.location == opened.location)
            #expect(try await desk.list("/api/v1/organizations", token: desk.adminToken).filter { $0["name"] as? String == "Nordic AS" }.count == 1)

            let settings = try await admin.get("/console/settings")
            let hook = [("once", try #require(WebClient.hidden("once", in: settings.html))), ("url", "\(desk.baseURL)/hook"), ("events", "sla.breach"), ("secret", "")]
            #expect(try await admin.post("/console/settings/webhooks", hook).status == .created)
            let repeated = try await admin.post("/console/settings/webhooks", hook)
            #expect(repeated.status == .seeOther && repeated.location == "/console/settings?done=added")
            #expect(try await admin.get(repeated.location!).text.contains("its signing secret was shown once"))
            #expect(try await desk.list("/api/v1/webhooks", token: desk.adminToken).count == 1)
        }
    }
}
