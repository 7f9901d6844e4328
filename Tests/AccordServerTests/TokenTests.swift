import Foundation
import Testing
import VaporTesting

/// API tokens: made, listed and revoked by their holder or an administrator; never shown twice.
@Suite struct TokenTests {
    @Test(arguments: TestDatabase.all) func peopleListAndRevokeTheirOwnTokensAndAdminsAnyones(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let org = try await desk.organization("plixer", plan: "standard", prefix: "TOK")
            let user = try await desk.person(in: org, email: "u@tok.test", role: "user")
            let other = try await desk.person(in: org, email: "o@tok.test", role: "user")
            let me = try await desk.call(.GET, "/api/v1/me", token: user.token)
            let userID = try #require(me.string["id"])
            let path = "/api/v1/people/\(userID)/tokens"

            // The person makes a second token for a script, and lists both: labels and times, no secrets.
            let made = try await desk.call(.POST, path, token: user.token, body: #"{"label":"backup script"}"#)
            #expect(made.status == .created, "\(made.json)")
            let script = try #require(made.string["token"])
            let listed = try await desk.call(.GET, path, token: user.token)
            let items = try #require(listed["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(items.last?["label"] as? String == "backup script")
            // (Made at the server's real time: tokens are not SLA facts and do not follow the test's clock.)
            #expect(items.allSatisfy { ISO8601DateFormatter().date(from: $0["createdAt"] as? String ?? "") != nil })
            let text = String(decoding: try JSONSerialization.data(withJSONObject: listed.json), as: UTF8.self)
            #expect(!text.contains(script) && !text.contains(user.token), "no secret is ever listed")

            // Someone else may neither list nor revoke them; an administrator may.
            #expect(try await desk.call(.GET, path, token: other.token).status == .forbidden)
            let scriptID = try #require(items.last?["id"] as? String)
            #expect(try await desk.call(.DELETE, "\(path)/\(scriptID)", token: other.token).status == .forbidden)
            #expect(try await desk.call(.GET, path, token: desk.adminToken).status == .ok)

            // Revoked: the token stops working at once; the other keeps working; a second revoke is a 404.
            #expect(try await desk.call(.GET, "/api/v1/me", token: script).status == .ok)
            #expect(try await desk.call(.DELETE, "\(path)/\(scriptID)", token: user.token).status == .noContent)
            #expect(try await desk.call(.GET, "/api/v1/me", token: script).status == .unauthorized)
            #expect(try await desk.call(.GET, "/api/v1/me", token: user.token).status == .ok)
            #expect(try await desk.call(.DELETE, "\(path)/\(scriptID)", token: user.token).status == .notFound)
            #expect(try await desk.call(.DELETE, "\(path)/not-a-uuid", token: user.token).status == .notFound)
            // The administrator revokes the last one: the person is locked out until given a new one.
            let last = try #require((try await desk.call(.GET, path, token: user.token)["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await desk.call(.DELETE, "\(path)/\(last)", token: desk.adminToken).status == .noContent)
            #expect(try await desk.call(.GET, "/api/v1/me", token: user.token).status == .unauthorized)
            #expect(try await desk.call(.POST, path, token: other.token).status == .forbidden, "no tokens for someone else")
        }
    }

    @Test(arguments: TestDatabase.all) func staffListTheStaff(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let ann = try await WorkDeskTests.staff(desk, "ann@provider.test")
            let bob = try await WorkDeskTests.staff(desk, "bob@provider.test", role: "manager", tier: nil)
            let org = try await desk.organization("plixer", plan: "standard", prefix: "STF")
            let user = try await desk.person(in: org, email: "u@stf.test", role: "user")
            let listed = try await desk.call(.GET, "/api/v1/staff", token: ann.token)
            #expect((listed["items"] as? [[String: Any]])?.compactMap { $0["email"] as? String } == ["admin@localhost", "ann@provider.test", "bob@provider.test"])
            #expect(try await desk.call(.POST, "/api/v1/people/\(ann.id)/erasure", token: bob.token).status == .ok)
            let after = try await desk.call(.GET, "/api/v1/staff", token: bob.token)
            #expect((after["items"] as? [[String: Any]])?.compactMap { $0["email"] as? String } == ["admin@localhost", "bob@provider.test"])
            #expect(try await desk.call(.GET, "/api/v1/staff", token: user.token).status == .forbidden)
        }
    }
}
