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
