import Foundation
import Testing
import VaporTesting

/// People over their time with the desk: a role or email changes, an authorized contact is demoted,
/// someone leaves and comes back — each audited, each refused where it must be.
@Suite struct PeopleTests {
    static func history(_ desk: DeskHarness, _ person: String) async throws -> [[String: Any]] {
        try await desk.call(.GET, "/api/v1/people/\(person)/history", token: desk.adminToken)["items"] as? [[String: Any]] ?? []
    }

    /// plex gold includes four authorized contacts: a fifth is billable, and demoting one ends its overage.
    @Test(arguments: TestDatabase.all) func authorizedContactsArePromotedAndDemoted(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "gold", prefix: "ROLE")
            var contacts: [(id: String, token: String)] = []
            for i in 1...4 { contacts.append(try await desk.person(in: org, email: "c\(i)@role.test", role: "authorized-contact")) }
            let user = try await desk.person(in: org, email: "u@role.test", role: "user")
            let manager = try await WorkDeskTests.staff(desk, "m@provider.test", role: "manager", tier: nil)
            let agent = try await WorkDeskTests.staff(desk, "a@provider.test")
            let path = "/api/v1/people/\(user.id)"
            #expect(try await desk.call(.PATCH, path, token: agent.token, body: #"{"role":"authorized-contact"}"#).status == .forbidden)
            #expect(try await desk.call(.PATCH, path, token: contacts[0].token, body: #"{"role":"authorized-contact"}"#).status == .forbidden)
            let full = try await desk.call(.PATCH, path, token: manager.token, body: #"{"role":"authorized-contact"}"#)
            #expect(full.status == .conflict && full.string["detail"]?.contains("acknowledgeFee") == true, "\(full.json)")
            let promoted = try await desk.call(.PATCH, path, token: manager.token, body: #"{"role":"authorized-contact","acknowledgeFee":true}"#)
            #expect(promoted.status == .ok, "\(promoted.json)")
            #expect(promoted.string["role"] == "authorized-contact" && promoted["billableOverage"] as? Bool == true)
            let staffRole = try await desk.call(.PATCH, path, token: manager.token, body: #"{"role":"admin"}"#)
            #expect(staffRole.status == .unprocessableEntity && staffRole.string["field"] == "role")
            #expect(try await desk.call(.PATCH, path, token: manager.token, body: #"{"tier":2}"#).string["field"] == "tier")
            #expect(try await desk.call(.PATCH, path, token: manager.token, body: "{}").status == .unprocessableEntity)

            // Demoted again: the overage ends; the history says who did what, here and on the organization.
            let demoted = try await desk.call(.PATCH, path, token: manager.token, body: #"{"role":"user"}"#)
            #expect(demoted.string["role"] == "user" && demoted["billableOverage"] as? Bool == false)
            let entries = try await Self.history(desk, user.id)
            #expect(entries.compactMap { $0["detail"] as? String } == [
                "role user → authorized-contact, beyond the plan's allowance: billable", "role authorized-contact → user",
            ])
            #expect(entries.allSatisfy { $0["actor"] as? String == manager.id })
            let trail = try await desk.list("/api/v1/organizations/\(org)/history", token: desk.adminToken)
            #expect(trail.filter { $0["kind"] as? String == "person-changed" }.count == 2)
            #expect(trail.contains { $0["kind"] as? String == "billable-overage" && $0["value"] as? String == user.id })
            let shown = try await desk.call(.GET, "/api/v1/organizations/\(org)", token: manager.token)
            #expect((shown["authorizedContacts"] as? [String: Any])?["used"] as? Int == 4)
            // The user reads themselves; an authorized contact reads the organization's people; others no one.
            #expect(try await desk.call(.GET, path, token: user.token).status == .ok)
            #expect(try await desk.call(.GET, path, token: contacts[1].token).status == .ok)
            let other = try await desk.organization("plex", plan: "gold", prefix: "OTHR")
            let stranger = try await desk.person(in: other, email: "s@othr.test", role: "authorized-contact")
            #expect(try await desk.call(.GET, path, token: stranger.token).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all) func anEmailChangesOnceAndStaysUnique(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "MAIL")
            let anna = try await desk.person(in: org, email: "anna@mail.test", role: "user")
            _ = try await desk.person(in: org, email: "bo@mail.test", role: "user")
            let path = "/api/v1/people/\(anna.id)"
            let taken = try await desk.call(.PATCH, path, token: desk.adminToken, body: #"{"email":"BO@mail.test"}"#)
            #expect(taken.status == .conflict && taken.string["detail"] == "a person with email bo@mail.test already exists")
            let bad = try await desk.call(.PATCH, path, token: desk.adminToken, body: #"{"email":"anna at mail"}"#)
            #expect(bad.status == .unprocessableEntity && bad.string["field"] == "email")
            let changed = try await desk.call(.PATCH, path, token: desk.adminToken, body: #"{"email":"Anna.Berg@mail.test","name":"Anna Berg"}"#)
            #expect(changed.status == .ok && changed.string["email"] == "anna.berg@mail.test" && changed.string["name"] == "Anna Berg")
            #expect(try await desk.call(.GET, "/api/v1/me", token: anna.token).string["email"] == "anna.berg@mail.test", "her token works on")
            #expect(try await Self.history(desk, anna.id).first?["detail"] as? String
                    == "name anna@mail.test → Anna Berg; email anna@mail.test → anna.berg@mail.test")
            let same = try await desk.call(.PATCH, path, token: desk.adminToken, body: #"{"name":"Anna Berg"}"#)
            #expect(same.status == .conflict && same.string["detail"]?.hasPrefix("nothing to change") == true)
        }
    }

    /// Someone who leaves is deactivated, not erased: no sign-in, no tokens, their name stays on
    /// their work; they may come back.
    @Test(arguments: TestDatabase.all) func aCustomerWhoLeavesIsDeactivatedAndMayComeBack(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "LEFT")
            let carl = try await desk.person(in: org, email: "carl@left.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: carl.token, body: #"{"title":"Down","description":"All","channel":"web"}"#)
            let caseID = try #require(logged.string["id"])
            let path = "/api/v1/people/\(carl.id)"
            let noReason = try await desk.call(.POST, "\(path)/deactivation", token: desk.adminToken, body: "{}")
            #expect(noReason.status == .unprocessableEntity && noReason.string["field"] == "reason")
            let gone = try await desk.call(.POST, "\(path)/deactivation", token: desk.adminToken, body: #"{"reason":"left the company"}"#)
            #expect(gone.status == .ok && gone["deactivated"] as? Bool == true, "\(gone.json)")
            #expect(try await desk.call(.GET, "/api/v1/me", token: carl.token).status == .unauthorized)
            let token = try await desk.call(.POST, "\(path)/tokens", token: desk.adminToken)
            #expect(token.status == .conflict && token.string["detail"]?.contains("reactivate them") == true)
            #expect(try await desk.call(.POST, "\(path)/deactivation", token: desk.adminToken, body: #"{"reason":"again"}"#).status == .conflict)
            // Their case and their name on it stay.
            let still = try await desk.call(.GET, "/api/v1/cases/\(caseID)", token: desk.adminToken)
            #expect(still.string["title"] == "Down" && still.string["requester"] == carl.id)
            let people = try await desk.list("/api/v1/organizations/\(org)/people", token: desk.adminToken)
            #expect(people.first { $0["id"] as? String == carl.id }?["deactivated"] as? Bool == true)

            let back = try await desk.call(.POST, "\(path)/reactivation", token: desk.adminToken, body: #"{"reason":"rehired"}"#)
            #expect(back.status == .ok && back["deactivated"] as? Bool == false)
            #expect(try await desk.call(.GET, "/api/v1/me", token: carl.token).status == .unauthorized, "old tokens stay revoked")
            let fresh = try await desk.call(.POST, "\(path)/tokens", token: desk.adminToken)
            #expect(try await desk.call(.GET, "/api/v1/me", token: try #require(fresh.string["token"])).status == .ok)
            #expect(try await desk.call(.POST, "\(path)/reactivation", token: desk.adminToken).status == .conflict)
            #expect(try await Self.history(desk, carl.id).compactMap { $0["detail"] as? String } == ["deactivated: left the company", "reactivated: rehired"])
            let trail = try await desk.list("/api/v1/organizations/\(org)/history", token: desk.adminToken)
            #expect(trail.compactMap { $0["kind"] as? String }.suffix(2) == ["person-deactivated", "person-reactivated"])
        }
    }

    /// A staff member who leaves gives up their work: their open cases go back to the queue.
    @Test(arguments: TestDatabase.all) func anAgentWhoLeavesGivesTheirCasesBack(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "QUIT")
            let user = try await desk.person(in: org, email: "u@quit.test", role: "user")
            let manager = try await WorkDeskTests.staff(desk, "m@provider.test", role: "manager", tier: nil)
            let ann = try await WorkDeskTests.staff(desk, "ann@provider.test")
            #expect(try await WorkDeskTests.join(desk, "pro-plus.tier-1", ann.id).status == .ok)
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Down","description":"All","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            #expect(try await desk.call(.PUT, "/api/v1/cases/\(id)/assignee", token: ann.token, body: #"{"person":"\#(ann.id)"}"#).status == .ok)

            let path = "/api/v1/people/\(ann.id)"
            #expect(try await desk.call(.POST, "\(path)/deactivation", token: manager.token, body: #"{"reason":"left"}"#).status == .forbidden,
                    "only administrators manage staff")
            #expect(try await desk.call(.PATCH, path, token: manager.token, body: #"{"tier":2}"#).status == .forbidden)
            let tier = try await desk.call(.PATCH, path, token: desk.adminToken, body: #"{"tier":2}"#)
            #expect(tier.status == .ok && tier["tier"] as? Int == 2)
            #expect(try await desk.call(.PATCH, path, token: desk.adminToken, body: #"{"tier":4}"#).string["field"] == "tier")
            #expect(try await desk.call(.PATCH, path, token: desk.adminToken, body: #"{"role":"user"}"#).string["field"] == "role")
            let gone = try await desk.call(.POST, "\(path)/deactivation", token: desk.adminToken, body: #"{"reason":"left the provider"}"#)
            #expect(gone.status == .ok)
            let shown = try await desk.call(.GET, "/api/v1/cases/\(id)", token: manager.token)
            #expect(WorkDeskTests.work(shown)["assignee"] == nil)
            let events = try #require(shown["events"] as? [[String: Any]])
            #expect(events.last?["kind"] as? String == "unassigned")
            #expect(events.last?["body"] as? String == "the assignee was deactivated: the case is back in its queue")
            let unassigned = try await desk.call(.GET, "/api/v1/cases?assignee=none", token: manager.token)
            #expect((unassigned["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            // Assigning to them now is refused: they left the team.
            let refused = try await desk.call(.PUT, "/api/v1/cases/\(id)/assignee", token: manager.token, body: #"{"person":"\#(ann.id)"}"#)
            #expect(refused.status == .unprocessableEntity)
            // The only administrator cannot deactivate or demote themselves.
            let me = try await desk.call(.GET, "/api/v1/me", token: desk.adminToken)
            let adminPath = "/api/v1/people/\(try #require(me.string["id"]))"
            #expect(try await desk.call(.POST, "\(adminPath)/deactivation", token: desk.adminToken, body: #"{"reason":"x"}"#).status == .conflict)
            #expect(try await desk.call(.PATCH, adminPath, token: desk.adminToken, body: #"{"role":"manager"}"#).status == .conflict)
        }
    }
}
