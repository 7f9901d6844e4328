@testable import AccordServer
import Foundation
import Testing

/// The attainment report in the web desk: the same numbers as the API (the same service), each
/// breach linked to its case, the CSV download, a bad period told beside the form, and the
/// customer's page showing only what the policy lets them see.
@Suite struct ReportPagesTests {
    @Test(arguments: TestDatabase.all) func aManagerAndAContactReadTheSpring(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-01T00:00:00Z", on: database) { desk in
            let spring = try await AttainmentReportTests.spring(desk)
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let console = try await WebClient.signedIn(desk, manager.id, "mia@provider.test")
            let query = "?from=2026-03-01&to=2026-05-01&zone=Europe%2FCopenhagen&by=priority"
            let page = try await console.get("/console/reports/attainment" + query)
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.html.contains(#"href="/console/reports/attainment" aria-current="page""#), "Reports is in the console's navigation")
            #expect(page.text.contains("Cases logged from 2026-03-01T00:00:00+01:00 to 2026-05-01T00:00:00+02:00 (Europe/Copenhagen)"), "\(page.text)")
            // critical: 3 with a target, 1 met, 0 breached, 1 running, 1 late — 50 %; B took 1 h.
            #expect(page.text.contains("critical initial-response 3 1 0 1 1 50.0 % 1 h · 1 h · 1 h business"), "\(page.text)")
            #expect(page.text.contains("high initial-response 1 0 1 0 0 0.0 % 5 h · 5 h · 5 h business"), "\(page.text)")
            #expect(page.text.contains("question initial-response 0 0 0 0 0 — — 1 without a target"), "\(page.text)")
            #expect(page.text.contains("low initial-response 0 0 0 0 0 — — 1 out of scope"), "\(page.text)")
            #expect(page.text.contains("All initial-response 5 2 1 1 1 50.0 % 2 h · 5 h · 5 h business 1 out of scope, 1 without a target 2"), "\(page.text)")
            let breachLink = #"<a href="/console/cases/\#(spring.cases["A"]!)">DK-2026-000005</a>"#
            #expect(page.html.contains(breachLink), "the breach leads to its case")
            #expect(page.html.contains(#"<input type="checkbox" name="by" value="priority" checked>"#))
            let csv = try await console.get("/console/reports/attainment.csv" + query)
            #expect(csv.status == .ok && csv.headers.first(name: "Content-Type")?.hasPrefix("text/csv") == true)
            let api = try await desk.download("/api/v1/reports/attainment" + query + "&format=csv", token: desk.adminToken)
            #expect(csv.html == String(decoding: api.body, as: UTF8.self), "the page's CSV is the API's")
            #expect(page.html.contains(#"href="/console/reports/attainment.csv?from=2026-03-01&amp;to=2026-05-01"#), "\(page.html)")

            let bad = try await console.get("/console/reports/attainment?period=2026-Q5")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("period must be a month (2026-09), a quarter (2026-Q3) or a year (2026), not '2026-Q5'"))
            #expect(bad.html.contains(#"value="2026-Q5""#), "what was typed stays")

            // The customer's authorized contact, in the portal: his own two cases, no agent to cut by.
            let bo = try await WebClient.signedIn(desk, spring.bo.id, "bo@dk.test")
            let theirs = try await bo.get("/portal/reports/attainment?period=2026-Q2&zone=Europe%2FCopenhagen")
            #expect(theirs.status == .ok, "\(theirs.text)")
            #expect(theirs.text.contains("Breached cases initial-response 2 0 0 1 1 0.0 % — DK-2026-000006"), "\(theirs.text)")
            #expect(!theirs.html.contains(#"value="agent""#))
            #expect(theirs.html.contains(#"<a href="/portal/cases/\#(spring.cases["G"]!)">DK-2026-000006</a>"#))
            #expect(try await bo.get("/console/reports/attainment").location == "/portal/reports/attainment")
            let anna = try await WebClient.signedIn(desk, spring.anna.id, "anna@dk.test")
            #expect(try await anna.get("/portal/reports/attainment").status == .forbidden)
            #expect(!(try await anna.get("/portal/cases")).html.contains("/portal/reports/attainment"), "a user has no Reports link")
        }
    }

    /// Plixer's ledgers in the console and the portal: overdue first, each entry linked to its case,
    /// the late notice as it was given.
    @Test func theLedgersInAPage() async throws {
        try await DeskHarness.run(at: "2026-04-01T00:00:00Z") { desk in
            let plixer = try await desk.organization("plixer", plan: "standard", prefix: "PLX")
            _ = try await desk.person(in: plixer, email: "sec@plx.test", role: "user")
            let contact = try await desk.person(in: plixer, email: "boss@plx.test", role: "authorized-contact")
            _ = try await CaseImportTests.importing(LedgerTests.history, into: desk)
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let console = try await WebClient.signedIn(desk, manager.id, "mia@provider.test")
            let page = try await console.get("/console/reports/vulnerabilities")
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains("Overdue: 1 Due within 7 days: 1 Due within 30 days: 0 Due later: 1 Waiting to start: 1"), "\(page.text)")
            let order = ["CVE in OpenSSH", "CVE in OpenSSL", "CVE in libxml2", "CVE in zlib"].compactMap { page.text.range(of: $0)?.lowerBound }
            #expect(order.count == 4 && order == order.sorted(), "overdue first, then by due")
            #expect(page.text.contains("9.1 critical 7 days 2026-03-27T12:00:00Z Overdue (breached)"), "\(page.text)")
            let defects = try await console.get("/console/reports/defects?state=all")
            #expect(defects.text.contains("told 2026-03-24T12:00:00Z: new estimate 2026-04-10T12:00:00Z — Needs a kernel fix from the vendor"), "\(defects.text)")
            #expect(defects.text.contains("Crash on start") && defects.text.contains("Done: 1"))
            #expect(!(try await console.get("/console/reports/defects")).text.contains("Crash on start"), "what is done shows only when asked")
            let portal = try await WebClient.signedIn(desk, contact.id, "boss@plx.test")
            let theirs = try await portal.get("/portal/reports/vulnerabilities")
            #expect(theirs.status == .ok && theirs.html.contains(#"href="/portal/cases/"#), "\(theirs.text)")
            #expect(try await portal.get("/console/reports/defects").location == "/portal/reports/defects")
        }
    }

    /// The TAM keeps the quarter as a draft from its page, writes notes, publishes it; the customer's
    /// authorized contact reads it in the portal with the notes, and no draft; a published version
    /// takes no more notes; a user of the customer sees no reviews.
    @Test(arguments: TestDatabase.all) func aReviewKeptNotedAndPublishedFromItsPage(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-10-05T12:00:00Z", on: database) { desk in
            let acme = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let ann = try await desk.person(in: acme, email: "ann@acme.test", role: "user")
            let boss = try await desk.person(in: acme, email: "boss@acme.test", role: "authorized-contact")
            _ = try await CaseImportTests.importing(ServiceReviewTests.history, into: desk)
            let tam = try await WorkDeskTests.staff(desk, "tom@provider.test", role: "tam", tier: nil)
            let console = try await WebClient.signedIn(desk, tam.id, "tom@provider.test")
            let live = try await console.get("/console/customers/\(acme)/reviews/2026-Q3")
            #expect(live.text.contains("Keeps this review as it stands now, as version 1"), "\(live.text)")
            let kept = try await console.post("/console/customers/\(acme)/reviews/2026-Q3", [])
            let path = try #require(kept.location)
            #expect(path.hasPrefix("/console/reviews/"), "\(kept.status) \(kept.text)")
            let draft = try await console.get(path)
            #expect(draft.status == .ok && draft.text.contains("Service review 2026-Q3: ACME Inc — version 1"), "\(draft.text)")
            #expect(draft.text.contains("a draft the customer does not see yet"))
            #expect(draft.html.contains(#"<a href="/console/cases/"#), "cases open in the console")
            let tooLong = try await console.post(path + "/notes", [("notes", String(repeating: "x", count: 20_001))])
            #expect(tooLong.status == .unprocessableEntity && tooLong.text.contains("notes are at most 20,000 characters"), "\(tooLong.text)")
            let noted = try await console.post(path + "/notes", [("notes", "Export fix ships in 2026.4.\nWe meet again in January.")])
            #expect(noted.location == path)
            let reviewID = String(path.dropFirst("/console/reviews/".count))
            // The customer sees no draft.
            let portal = try await WebClient.signedIn(desk, boss.id, "boss@acme.test")
            #expect(try await portal.get("/portal/reviews/\(reviewID)").status == .notFound)
            #expect(try await portal.get("/portal/reviews").text.contains("No review is published yet"))
            _ = try await console.get(path)
            let published = try await console.post(path + "/publish", [])
            #expect(published.location == path, "\(published.text)")
            let fixed = try await console.get(path)
            #expect(fixed.text.contains("published 2026-10-05") && !fixed.html.contains("/notes\""), "no notes form once published: \(fixed.text)")
            #expect(try await console.post(path + "/publish", []).status == .conflict)
            let live2 = try await console.get("/console/customers/\(acme)/reviews/2026-Q3")
            #expect(live2.html.contains(">Version 1</a>, prepared 2026-10-05T12:00:00Z — published 2026-10-05T12:00:00Z"), "\(live2.text.prefix(900))")
            #expect(live2.text.contains("as version 2"), "a correction would be the next version")

            let list = try await portal.get("/portal/reviews")
            #expect(list.status == .ok && list.html.contains(#"<a href="/portal/reviews/\#(reviewID)">2026-Q3</a>"#), "\(list.html)")
            let read = try await portal.get("/portal/reviews/\(reviewID)")
            #expect(read.status == .ok, "\(read.text)")
            #expect(read.text.contains("Notes from your account team") && read.text.contains("Export fix ships in 2026.4."))
            #expect(read.html.contains(#"<a href="/portal/cases/"#) && !read.html.contains("/console/"), "cases open in the portal")
            #expect(!read.html.contains(#"action="/console"#), "no forms for the customer")
            #expect(try await portal.get("/console/reviews/\(reviewID)").status != .ok)
            let user = try await WebClient.signedIn(desk, ann.id, "ann@acme.test")
            #expect(try await user.get("/portal/reviews").status == .forbidden)
            #expect(try await user.get("/portal/reviews/\(reviewID)").status == .notFound)
        }
    }

    /// A Gold customer's third quarter as the TAM's page: the tables, the three charts drawn as
    /// SVG, reached from the customer's page; a plan without reviews says so.
    @Test func aServiceReviewInAPage() async throws {
        try await DeskHarness.run(at: "2026-10-05T12:00:00Z") { desk in
            let acme = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            _ = try await desk.person(in: acme, email: "ann@acme.test", role: "user")
            _ = try await desk.person(in: acme, email: "boss@acme.test", role: "authorized-contact")
            _ = try await CaseImportTests.importing(ServiceReviewTests.history, into: desk)
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let console = try await WebClient.signedIn(desk, manager.id, "mia@provider.test")
            let customer = try await console.get("/console/customers/\(acme)")
            #expect(customer.html.contains(#"href="/console/customers/\#(acme)/reviews""#))
            let latest = try await console.get("/console/customers/\(acme)/reviews")
            #expect(latest.location == "/console/customers/\(acme)/reviews/2026-Q4", "the current quarter")
            let page = try await console.get("/console/customers/\(acme)/reviews/2026-Q3")
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains("Service review 2026-Q3: ACME Inc"))
            #expect(page.html.components(separatedBy: "<svg class=\"chart\"").count == 4, "three charts")
            #expect(page.html.contains(">Attainment per month (initial-response)</text>"))
            #expect(page.text.contains("Line down p1 new 1") && page.text.contains("Export fails p3 open 58"), "\(page.text)")
            #expect(page.text.contains("Notice of non-renewal is due by 2026-10-02"))
            #expect(page.text.contains("p1 initial-response 1"), "attainment per priority: \(page.text)")
            let silver = try await desk.organization("plex", plan: "silver", region: "global", prefix: "SLV")
            let none = try await console.get("/console/customers/\(silver)/reviews")
            #expect(none.status == .conflict && none.text.contains("grants no service reviews"))
            // The attainment link of the customer's page reports on that customer only.
            let report = try await console.get("/console/reports/attainment?customer=\(acme)&by=priority&period=2026-Q3")
            #expect(report.status == .ok && report.html.contains(#"name="customer" value="\#(acme.uppercased())""#) || report.html.contains(#"name="customer" value="\#(acme)""#),
                    "\(report.text)")
        }
    }
}
