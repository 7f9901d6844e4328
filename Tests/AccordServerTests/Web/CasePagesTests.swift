@testable import AccordServer
import AccordStore
import Foundation
import Testing

/// The portal's and the console's case pages over HTTP, as a browser without JavaScript uses them:
/// the same visibility, intake rules, clocks and conflicts as the API, shown to people.
@Suite struct CasePagesTests {
    static let plmForm: [(String, String)] = [
        ("title", "Crash on save"), ("priority", "critical"), ("channel", "web"), ("description", "SOLIDWORKS crashes when saving an assembly"),
        ("contactName", "Ola Nordmann"), ("contactPhone", "+47 22 00 00 00"), ("contactEmail", "ola@fjord.test"), ("version", "2025"),
        ("servicePack", "SP2.1"), ("englishConsent", "yes"), ("stepsToReproduce", "Open the assembly, save"),
    ]

    static func replacing(_ form: [(String, String)], _ name: String, _ value: String) -> [(String, String)] {
        form.map { $0.0 == name ? (name, value) : $0 }
    }

    /// PLM: the form asks for the contract's required information, each problem next to its field;
    /// a logged request is seen by its requester (and whoever the API lets see it), never by
    /// another requester of the same customer — on the page exactly as through the API.
    @Test(arguments: TestDatabase.all) func plmIntakeAndVisibility(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-04-01T13:30:00Z", on: database) { desk in
            let org = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "FJD")
            let ola = try await desk.person(in: org, email: "ola@fjord.test", role: "user")
            let kari = try await desk.person(in: org, email: "kari@fjord.test", role: "user")
            let per = try await desk.person(in: org, email: "per@fjord.test", role: "user")
            let browser = try await WebClient.signedIn(desk, ola.id, "ola@fjord.test")
            let form = try await browser.get("/portal/cases/new")
            #expect(form.status == .ok)
            #expect(form.text.contains("SOLIDWORKS version (20XX)") && form.text.contains("Service pack (SPX.X)"))
            #expect(form.text.contains("Customer is able to use the Licensed Programs"), "the contract's priority definitions")

            let bad = try await browser.post("/portal/cases", Self.replacing(Self.replacing(Self.plmForm, "version", "25"), "servicePack", ""))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains(#"id="version-error""#) && bad.text.contains("SOLIDWORKS version (20XX): '25' does not match"))
            #expect(bad.text.contains("Service pack (SPX.X) is required by PLM Group"))
            #expect(bad.html.contains(#"value="Crash on save""#), "what was typed stays")

            let logged = try await browser.post("/portal/cases", Self.plmForm + [("cc", "per@fjord.test")])
            #expect(logged.status == .seeOther, "\(logged.text)")
            let location = try #require(logged.location)
            let id = String(location.split(separator: "/").last!)
            let page = try await browser.get(location)
            #expect(page.status == .ok)
            #expect(page.text.contains("We will respond by"), "\(page.text)")
            // The page's due is the API's, to the second.
            let api = try await desk.call(.GET, "/api/v1/cases/\(id)", token: ola.token)
            let due = try #require(desk.clock(api)?["due"] as? String)
            #expect(page.html.contains(#"<time datetime="\#(due)">"#))
            #expect(page.text.contains("2026-04-02 thu") && page.text.contains("holiday, Maundy Thursday: skipped"), "why is it due then")

            // Each of the customer's people sees on the page what the API lets them see.
            for (person, email) in [(kari, "kari@fjord.test"), (per, "per@fjord.test")] {
                let other = try await WebClient.signedIn(desk, person.id, email)
                let apiStatus = try await desk.call(.GET, "/api/v1/cases/\(id)", token: person.token).status
                let pageStatus = try await other.get("/portal/cases/\(id)").status
                #expect(pageStatus == apiStatus, "\(email): page \(pageStatus), API \(apiStatus)")
                let list = try await other.get("/portal/cases")
                let listed = ((try await desk.call(.GET, "/api/v1/cases", token: person.token))["items"] as? [[String: Any]])?.count ?? -1
                #expect(list.html.contains(id) == (listed > 0), "\(email)")
            }
            #expect(try await desk.call(.GET, "/api/v1/cases/\(id)", token: kari.token).status == .notFound, "PLM: the requester only")
        }
    }

    /// Posting the same form twice (a double click, a reload) logs one case.
    @Test func aRepeatedPostLogsOneCase() async throws {
        try await DeskHarness.run(at: "2026-04-01T13:30:00Z") { desk in
            let org = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "FJD")
            let ola = try await desk.person(in: org, email: "ola@fjord.test", role: "user")
            let browser = try await WebClient.signedIn(desk, ola.id, "ola@fjord.test")
            let form = try await browser.get("/portal/cases/new")
            let once = try #require(WebClient.hidden("once", in: form.html))
            let first = try await browser.post("/portal/cases", Self.plmForm + [("once", once)])
            let second = try await browser.post("/portal/cases", Self.plmForm + [("once", once)])
            #expect(first.status == .seeOther && second.status == .seeOther)
            #expect(first.location == second.location)
            let cases = try await desk.call(.GET, "/api/v1/cases", token: ola.token)
            #expect((cases["items"] as? [Any])?.count == 1)
            // A refused post gives its key back: corrected, the same form logs.
            let refusedForm = try await browser.get("/portal/cases/new")
            let key = try #require(WebClient.hidden("once", in: refusedForm.html))
            #expect(try await browser.post("/portal/cases", Self.replacing(Self.plmForm, "version", "x") + [("once", key)]).status == .unprocessableEntity)
            #expect(try await browser.post("/portal/cases", Self.plmForm + [("once", key)]).status == .seeOther)
            #expect(((try await desk.call(.GET, "/api/v1/cases", token: ola.token))["items"] as? [Any])?.count == 2)
        }
    }

    /// A Plex user asking for P2 is told, in the contract's words, that only authorized contacts
    /// may log it — and who those are in their organization.
    @Test func aPlexUserIsToldWhoMayLogP2() async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z") { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            _ = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            let bob = try await desk.person(in: org, email: "bob@acme.test", role: "user")
            let browser = try await WebClient.signedIn(desk, bob.id, "bob@acme.test")
            _ = try await browser.get("/portal/cases/new")
            let refused = try await browser.post("/portal/cases", [("title", "Labels slow"), ("priority", "p2"), ("channel", "web"), ("description", "30 s a label")])
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("P2 cases may be logged only by authorized-contact"), "\(refused.text)")
            #expect(refused.text.contains("the authorized contacts of ACME Inc are ann@acme.test <ann@acme.test>"), "\(refused.text)")
            let api = try await desk.call(.POST, "/api/v1/cases", token: bob.token, body: #"{"title":"x","description":"y","priority":"p2","channel":"web"}"#)
            #expect(api.string["detail"]?.contains("the authorized contacts of ACME Inc are") == true, "the API says the same")
        }
    }

    /// Internal notes stay internal; two agents changing one case: the second is told who changed it, nothing is overwritten.
    @Test(arguments: TestDatabase.all) func internalNotesAndConflicts(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let ann = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: ann.token, body: #"{"title":"Labels slow","description":"30 s","priority":"p3","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            let tom = try await WorkDeskTests.staff(desk, "tom@provider.test")
            let agentA = try await WebClient.signedIn(desk, tia.id, "tia@provider.test")
            let agentB = try await WebClient.signedIn(desk, tom.id, "tom@provider.test")
            let customer = try await WebClient.signedIn(desk, ann.id, "ann@acme.test")

            let opened = try await agentA.get("/console/cases/\(id)")
            #expect(opened.status == .ok)
            let version = try #require(WebClient.hidden("version", in: opened.html))
            _ = try await agentB.get("/console/cases/\(id)")
            #expect(try await agentB.post("/cases/\(id)/messages", [("kind", "internal-note"), ("body", "Customer is on the old release")]).status == .seeOther)
            #expect(try await agentB.post("/cases/\(id)/messages", [("kind", "public-reply"), ("body", "We are looking into it")]).status == .seeOther)
            _ = try await agentB.get("/console/cases/\(id)")
            #expect(try await agentB.post("/cases/\(id)/status", [("value", "awaiting-customer"), ("version", WebClient.hidden("version", in: try await agentB.get("/console/cases/\(id)").html)!)]).status == .seeOther)

            let staffView = try await agentA.get("/console/cases/\(id)")
            #expect(staffView.text.contains("Customer is on the old release") && staffView.text.contains("internal: the customer does not see this"))
            let customerView = try await customer.get("/portal/cases/\(id)")
            #expect(!customerView.text.contains("Customer is on the old release"), "an internal note never reaches the customer's page")
            #expect(customerView.text.contains("We are looking into it"))

            // Agent A still has the page from before B's changes.
            let stale = try await agentA.post("/cases/\(id)/status", [("value", "resolved"), ("resolution", "fix"), ("version", version)])
            #expect(stale.status == .unprocessableEntity)
            #expect(stale.text.contains("The case was changed by tom@provider.test"), "\(stale.text)")
            #expect(stale.text.contains("Nothing was saved"))
            let now = try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken)
            #expect(now.string["status"] == "awaiting-customer", "nothing overwritten")
        }
    }

    /// A priority change is previewed — each clock's due before and after, by the engine — and
    /// saved only then; the saved clocks are the previewed ones.
    @Test func priorityChangePreviewedThenSaved() async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z") { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let ann = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: ann.token, body: #"{"title":"Labels slow","description":"30 s","priority":"p3","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            let agent = try await WebClient.signedIn(desk, tia.id, "tia@provider.test")
            let page = try await agent.get("/console/cases/\(id)")
            let version = try #require(WebClient.hidden("version", in: page.html))
            desk.set("2026-11-16T15:00:00Z")
            let preview = try await agent.post("/cases/\(id)/priority", [("priority", "p2"), ("version", version), ("action", "preview")])
            #expect(preview.status == .ok)
            #expect(preview.text.contains("If the priority changes to"), "\(preview.text)")
            #expect(try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken).string["priority"] == "p3", "a preview changes nothing")
            let saved = try await agent.post("/cases/\(id)/priority", [("priority", "p2"), ("version", version), ("action", "save")])
            #expect(saved.status == .seeOther)
            let after = try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken)
            #expect(after.string["priority"] == "p2")
            let due = try #require(desk.clock(after)?["due"] as? String)
            let shown = WebFormat(viewerZone: nil).time(DeskHarness.date(due), contractZone: nil).viewer
            #expect(preview.text.contains("due \(shown)"), "the previewed due is the saved one: \(shown) in \(preview.text)")
        }
    }

    /// The contract's actions from the case page: take the case, confirm the defect (the
    /// rectification clock starts), tell the customer it will be late, escalate — each as the API
    /// records it; a refused one says why above the forms.
    @Test func staffActionsOnThePlixerContract() async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z") { desk in
            let org = try await desk.organization("plixer", plan: "standard", region: "us-east", prefix: "NWN")
            let nina = try await desk.person(in: org, email: "nina@nwn.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: nina.token,
                                             body: #"{"title":"Collector drops flows","description":"above 40k fps","priority":"severity-2","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            let team = try #require(WorkDeskTests.work(logged)["team"] as? String)
            let agent = try await WebClient.signedIn(desk, tia.id, "tia@provider.test")
            var page = try await agent.get("/console/cases/\(id)")
            let outsider = try await agent.post("/cases/\(id)/assignment", [("assignee", "me"), ("version", WebClient.hidden("version", in: page.html)!)])
            #expect(outsider.status == .unprocessableEntity, "not of the case's team: refused, and the page says why")
            #expect(try await WorkDeskTests.join(desk, "plixer.\(team)", tia.id).status == .ok)
            page = try await agent.get("/console/cases/\(id)")
            #expect(page.text.contains("Confirm the defect"))
            #expect(!page.text.contains("Tell the customer"), "nothing to be late yet: the rectification clock has not started")
            let taken = try await agent.post("/cases/\(id)/assignment", [("assignee", "me"), ("version", WebClient.hidden("version", in: page.html)!)])
            #expect(taken.status == .seeOther)
            #expect(try await agent.post("/cases/\(id)/record", [("kind", "defect-confirmed")]).status == .seeOther)
            let api = try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken)
            #expect((api["work"] as? [String: Any])?["assignee"] as? String == tia.id)
            #expect(desk.clock(api, "resolution")?["state"] as? String == "running")
            page = try await agent.get("/console/cases/\(id)")
            #expect(page.text.contains("Give back to the queue") && !page.text.contains("Confirm the defect"))
            #expect(page.text.contains("Tell the customer the"))
            let early = try await agent.post("/cases/\(id)/record", [("kind", "rectification-late"), ("value", "2026-11-17"), ("body", "Waiting for the vendor")])
            #expect(early.status == .unprocessableEntity)
            #expect(early.text.contains("is within the"), "\(early.text)")
            let late = try await agent.post("/cases/\(id)/record", [("kind", "rectification-late"), ("value", "2027-06-30"), ("body", "Waiting for the vendor")])
            #expect(late.status == .seeOther)
            let after = try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken)
            #expect((desk.clock(after, "resolution")?["lateNotice"] as? [String: Any])?["state"] as? String == "given")
            let refused = try await agent.post("/cases/\(id)/escalation", [("tier", "2"), ("reason", "")])
            #expect(refused.status == .unprocessableEntity)
            // The page refreshes cheaply: asked again with its ETag, unchanged, the answer is 304 without a body.
            let fresh = try await agent.get("/console/cases/\(id)")
            let etag = try #require(fresh.headers.first(name: "ETag"))
            let cookie = agent.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let again = try await desk.send(.GET, "/console/cases/\(id)", headers: [("Cookie", cookie), ("If-None-Match", etag)], body: nil, followingRedirects: false)
            #expect(again.status == .notModified && again.body.isEmpty)
        }
    }

    /// The console's queue in its order, and take-next opening the case it gave.
    @Test func queueAndTakeNext() async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z") { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let ann = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            for (title, priority) in [("Question <b>bold</b> & \\\"quoted\\\"", "p4"), ("Outage", "p2")] {
                _ = try await desk.call(.POST, "/api/v1/cases", token: ann.token, body: #"{"title":"\#(title)","description":"d","priority":"\#(priority)","channel":"web"}"#)
            }
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            let queues = try await desk.call(.GET, "/api/v1/queues", token: desk.adminToken)
            _ = queues
            let api = try await desk.download("/api/v1/queues", token: desk.adminToken)
            let list = (try JSONSerialization.jsonObject(with: api.body) as? [[String: Any]]) ?? []
            let queue = try #require(list.first { ($0["waiting"] as? Int ?? 0) > 0 }?["id"] as? String)
            #expect(try await WorkDeskTests.join(desk, queue, tia.id).status == .ok)
            let agent = try await WebClient.signedIn(desk, tia.id, "tia@provider.test")
            let page = try await agent.get("/console/queues/\(queue)")
            #expect(page.status == .ok)
            let apiOrder = try await desk.call(.GET, "/api/v1/queues/\(queue)", token: desk.adminToken)
            let numbers = (apiOrder["positions"] as? [[String: Any]])?.compactMap { $0["number"] as? String } ?? []
            #expect(numbers.count == 2)
            let first = try #require(page.text.range(of: numbers[0])), second = try #require(page.text.range(of: numbers[1]))
            #expect(first.lowerBound < second.lowerBound, "the page lists the queue in the API's order")
            #expect(page.html.contains("Question &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;") && !page.html.contains("<b>bold"),
                    "a case's title is text on the queue's page, never markup")
            #expect(page.html.contains("<a href=\"/console/cases/"), "each row links to its case")
            let taken = try await agent.post("/console/take-next", [("queue", queue)])
            #expect(taken.status == .seeOther && taken.location?.hasPrefix("/console/cases/") == true)
            let caseID = String(taken.location!.split(separator: "/").last!)
            let assigned = try await desk.call(.GET, "/api/v1/cases/\(caseID)", token: desk.adminToken)
            #expect((assigned["work"] as? [String: Any])?["assignee"] as? String == tia.id)
            #expect(assigned.string["number"] == numbers[0])
            // A customer is kept out of the console.
            let customer = try await WebClient.signedIn(desk, ann.id, "ann@acme.test")
            #expect(try await customer.get("/console/queues").status == .forbidden)
        }
    }

    /// A form larger than the desk takes is refused before it is read.
    @Test func anOversizedFormIsRefusedBeforeItIsRead() async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z", configure: { $0.maxAttachmentSize = "1kb"; $0.maxBodySize = "1kb" }) { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let ann = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            let browser = try await WebClient.signedIn(desk, ann.id, "ann@acme.test")
            _ = try await browser.get("/portal/cases/new")
            let huge = try await browser.post("/portal/cases", [("title", "x"), ("description", String(repeating: "a", count: 200_000))])
            #expect(huge.status == .payloadTooLarge)
        }
    }
}

/// The customer's organization page: the plan and its promises, contacts used of those included,
/// the term, and the priority-sender list the primary contact edits (audited), others only read.
@Suite struct OrganizationPageTests {
    @Test func proPlusPrimaryContactEditsPrioritySenders() async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z") { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "PRA")
            let paul = try await desk.person(in: org, email: "paul@prairie.test", role: "user")
            let pia = try await desk.person(in: org, email: "pia@prairie.test", role: "user")
            let named = try await desk.call(.PUT, "/api/v1/organizations/\(org)/roles/primary-contact", token: desk.adminToken, body: #"{"person":"\#(paul.id)"}"#)
            #expect(named.status == .ok || named.status == .noContent, "\(named.json)")
            let primary = try await WebClient.signedIn(desk, paul.id, "paul@prairie.test")
            let page = try await primary.get("/portal/organization")
            #expect(page.status == .ok)
            #expect(page.text.contains("Pro Plus") && page.text.contains("24 business hours"), "\(page.text)")
            #expect(page.text.contains("Primary contact: paul@prairie.test"))
            let bad = try await primary.post("/portal/organization/priority-senders", [("entries", "prairie.test\nnot an entry")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("'not an entry' is not"), "\(bad.text)")
            let saved = try await primary.post("/portal/organization/priority-senders", [("entries", "prairie.test\nceo@elsewhere.test")])
            #expect(saved.status == .seeOther)
            let list = try await desk.call(.GET, "/api/v1/organizations/\(org)/priority-senders", token: desk.adminToken)
            #expect(list["entries"] as? [String] == ["prairie.test", "ceo@elsewhere.test"] || list["entries"] as? [String] == ["ceo@elsewhere.test", "prairie.test"])
            let history = try await desk.download("/api/v1/organizations/\(org)/history", token: desk.adminToken)
            let entries = try JSONSerialization.jsonObject(with: history.body) as? [[String: Any]] ?? []
            #expect(entries.contains { $0["kind"] as? String == "priority-senders" && $0["actor"] as? String == paul.id }, "audited, with who")
            // Another person of the customer reads the list but may not change it.
            let other = try await WebClient.signedIn(desk, pia.id, "pia@prairie.test")
            let read = try await other.get("/portal/organization")
            #expect(read.text.contains("ceo@elsewhere.test") && !read.html.contains(#"name="entries""#))
            _ = try await other.get("/account")
            #expect(try await other.post("/portal/organization/priority-senders", [("entries", "evil.test")]).status == .forbidden)
        }
    }
}

/// The managers' board: what breaches next in the API's own `sort=due` order, what is breached,
/// what is at risk by team.
@Suite struct BoardPageTests {
    @Test(arguments: TestDatabase.all) func theBoardFollowsTheClocks(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z", on: database) { desk in  // Monday 09:00 in Detroit
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let ann = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            for (title, priority) in [("Question", "p4"), ("Slow", "p3"), ("Down", "p1")] {
                let logged = try await desk.call(.POST, "/api/v1/cases", token: ann.token, body: #"{"title":"\#(title)","description":"d","priority":"\#(priority)","channel":"web"}"#)
                #expect(logged.status == .created)
            }
            let api = try await desk.call(.GET, "/api/v1/cases?sort=due&breached=false", token: desk.adminToken)
            let order = (api["items"] as? [[String: Any]])?.compactMap { $0["number"] as? String } ?? []
            #expect(order.count == 3)
            #expect(try await desk.call(.GET, "/api/v1/cases?sort=due", token: ann.token).status == .forbidden, "staff only")
            #expect(try await desk.call(.GET, "/api/v1/cases?sort=due&cursor=ACME-2026-000001", token: desk.adminToken).status == .badRequest)
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let browser = try await WebClient.signedIn(desk, manager.id, "mia@provider.test")
            let board = try await browser.get("/console/board")
            #expect(board.status == .ok)
            let positions = order.compactMap { board.text.range(of: $0)?.lowerBound }
            #expect(positions.count == 3 && positions == positions.sorted(), "the board lists what breaches next in the API's order")
            #expect(board.text.contains("Nothing is breached"))
            // A day later the P1's response is breached; the board says so.
            desk.set("2026-11-17T14:00:00Z")
            let later = try await WebClient.signedIn(desk, manager.id, "mia@provider.test").get("/console/board")
            #expect(later.text.contains("Breached, not yet resolved") && !later.text.contains("Nothing is breached"), "\(later.text)")
            // Agents do not see the board; the console's list sorts by next breach too.
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            let agent = try await WebClient.signedIn(desk, tia.id, "tia@provider.test")
            #expect(try await agent.get("/console/board").status == .forbidden)
            let sorted = try await agent.get("/console/cases?sort=due")
            #expect(sorted.status == .ok)
        }
    }
}

/// The board's internal targets and today's breaches: a Pro Plus case escalated to tier 2 on
/// Friday 16:00 CST runs the 4-business-hour pick-up OLA (due Monday 12:00 CST); the board lists it
/// once it is within 4 hours and as breached after, apart from the contract's clocks.
@Suite struct BoardOLATests {
    @Test(arguments: TestDatabase.all) func theBoardShowsTheQueuesOLAsAndTodaysBreaches(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-20T21:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "ESC")
            let user = try await desk.person(in: org, email: "uma@esc.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Help","description":"Broken","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let number = try #require(logged.string["number"])
            let agent = try await WorkDeskTests.staff(desk, "ted@provider.test")
            desk.set("2026-11-20T22:00:00Z")
            let escalated = try await desk.call(.POST, "/api/v1/cases/\(id)/escalations", token: agent.token, body: #"{"tier":2,"reason":"needs a specialist"}"#)
            #expect((escalated["olas"] as? [[String: Any]])?.first?["due"] as? String == "2026-11-23T18:00:00Z")
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let early = try await WebClient.signedIn(desk, manager.id, "mia@provider.test").get("/console/board")
            #expect(early.text.contains("No internal target is breached or due soon."), "Monday noon is beyond 4 hours")
            desk.set("2026-11-23T15:00:00Z")  // Monday 09:00 CST: three business hours left
            let near = try await WebClient.signedIn(desk, manager.id, "mia@provider.test").get("/console/board")
            #expect(near.html.contains(#"<time datetime="2026-11-23T18:00:00Z">"#) && near.text.contains("Tier 2 picks up an escalated case (4 business hours)"))
            #expect(near.text.contains(number))
            desk.set("2026-11-23T19:00:00Z")  // Monday 13:00 CST: an hour past it
            let late = try await WebClient.signedIn(desk, manager.id, "mia@provider.test").get("/console/board")
            let olas = try #require(late.text.range(of: "Internal targets (OLAs)")).upperBound
            #expect(late.text[olas...].contains("Breached"), "\(late.text)")
            // The contract's own clocks: the first response, due Tuesday 21:00 UTC, breached; counted
            // as today's on Tuesday evening, listed but no longer counted on Wednesday (UTC, the viewer's zone here).
            desk.set("2026-11-24T22:00:00Z")
            let tuesday = try await WebClient.signedIn(desk, manager.id, "mia@provider.test").get("/console/board")
            #expect(tuesday.text.contains("Breached today (since midnight, your time): 1."), "\(tuesday.text)")
            desk.set("2026-11-25T10:00:00Z")
            let wednesday = try await WebClient.signedIn(desk, manager.id, "mia@provider.test").get("/console/board")
            #expect(wednesday.text.contains("Breached today (since midnight, your time): 0.") && !wednesday.text.contains("Nothing is breached"))
        }
    }
}

/// A customer withdraws a request, and reopens a resolved one within the policy's window only.
@Suite struct CustomerStatusTests {
    @Test func withdrawAndReopenWithinTheWindow() async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z") { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let ann = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: ann.token, body: #"{"title":"Labels","description":"slow","priority":"p3","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let browser = try await WebClient.signedIn(desk, ann.id, "ann@acme.test")
            let page = try await browser.get("/portal/cases/\(id)")
            #expect(page.text.contains("Withdraw the request") && !page.html.contains(#"id="new-status""#))
            let withdrawn = try await browser.post("/cases/\(id)/status", [("value", "resolved"), ("resolution", "withdrawn"), ("version", WebClient.hidden("version", in: page.html)!)])
            #expect(withdrawn.status == .seeOther)
            #expect(try await desk.call(.GET, "/api/v1/cases/\(id)", token: ann.token).string["status"] == "resolved")
            // Reopening is the policy's to allow: plex reopens within its window, and not after.
            let policyDays = try #require((try await desk.call(.GET, "/api/v1/organizations/\(org)/plan", token: ann.token))["reopenWithinDays"] as? Int)
            desk.set(ISO8601DateFormatter().string(from: DeskHarness.date("2026-11-16T14:00:00Z").addingTimeInterval(Double(policyDays + 1) * 86_400)))
            let late = try await WebClient.signedIn(desk, ann.id, "ann@acme.test")
            let resolved = try await late.get("/portal/cases/\(id)")
            #expect(resolved.text.contains("Reopen the case"))
            let refused = try await late.post("/cases/\(id)/status", [("value", "open"), ("version", WebClient.hidden("version", in: resolved.html)!)])
            #expect(refused.status == .conflict, "the API's status: the case's state forbids it")
            #expect(refused.text.contains("\(policyDays) days"), "\(refused.text)")
        }
    }
}

/// The console's customers: each with its subscription and people; a manager invites a person,
/// who then signs in through the link shown once; an agent sees but may not invite.
@Suite struct CustomerPagesTests {
    @Test(arguments: TestDatabase.all) func aManagerInvitesAPersonFromTheConsole(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let ann = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let console = try await WebClient.signedIn(desk, manager.id, "mia@provider.test")
            let list = try await console.get("/console/customers")
            #expect(list.status == .ok && list.text.contains("ACME Inc") && list.text.contains("Plex Customer Care Plans"))
            #expect(list.text.contains("2026-12-31"), "the term's end")
            let page = try await console.get("/console/customers/\(org)")
            #expect(page.text.contains("ann@acme.test") && page.text.contains("no password yet"))
            let invited = try await console.post("/console/people/\(ann.id)/invitation", [])
            #expect(invited.status == .created)
            let link = try #require(invited.html.range(of: #"/invitations/aci_[A-Za-z0-9_-]{43}"#, options: .regularExpression).map { String(invited.html[$0]) })
            let browser = WebClient(desk)
            _ = try await browser.get(link)
            #expect(try await browser.post(link, [("password", "a long enough passphrase"), ("confirmation", "a long enough passphrase")]).status == .seeOther)
            let after = try await console.get("/console/customers/\(org)")
            #expect(after.text.contains("can sign in"))
            #expect(after.text.contains("invited to set a password"), "the audit trail records the invitation")
            // An agent reads the customer but may not invite.
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            let agent = try await WebClient.signedIn(desk, tia.id, "tia@provider.test")
            let agentPage = try await agent.get("/console/customers/\(org)")
            #expect(agentPage.status == .ok && !agentPage.text.contains("Invite ann@acme.test"))
            #expect(try await agent.post("/console/people/\(ann.id)/invitation", []).status == .forbidden)
            // Customers are kept out.
            let customer = try await WebClient.signedIn(desk, ann.id, "ann@acme.test")
            #expect(try await customer.get("/console/customers").status == .forbidden)
        }
    }

    /// Adding a customer's people from the console: the plan's allowance of authorized contacts
    /// (Plex Gold: 4) holds exactly as through the API, the overage fee is acknowledged on the form.
    @Test func aManagerAddsPeopleWithinThePlansAllowance() async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z") { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let console = try await WebClient.signedIn(desk, manager.id, "mia@provider.test")
            _ = try await console.get("/console/customers/\(org)")
            let bad = try await console.post("/console/customers/\(org)/people", [("name", "Ann"), ("email", "not an address"), ("role", "authorized-contact")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("'not an address' is not an email address"))
            #expect(bad.html.contains(#"value="Ann""#), "what was typed stays")
            for index in 1...4 {
                let added = try await console.post("/console/customers/\(org)/people", [("name", "Contact \(index)"), ("email", "c\(index)@acme.test"), ("role", "authorized-contact")])
                #expect(added.status == .seeOther, "\(index): \(added.text)")
            }
            let fifth = try await console.post("/console/customers/\(org)/people", [("name", "Contact 5"), ("email", "c5@acme.test"), ("role", "authorized-contact")])
            #expect(fifth.status == .conflict)
            #expect(fifth.text.contains("the plan includes 4 authorized contacts"), "\(fifth.text)")
            let billed = try await console.post("/console/customers/\(org)/people",
                                                [("name", "Contact 5"), ("email", "c5@acme.test"), ("role", "authorized-contact"), ("acknowledgeFee", "yes")])
            #expect(billed.status == .seeOther)
            let page = try await console.get(try #require(billed.location))
            #expect(page.text.contains("Added c5@acme.test") && page.text.contains("(1 billed as overage)"), "\(page.text)")
        }
    }
}
