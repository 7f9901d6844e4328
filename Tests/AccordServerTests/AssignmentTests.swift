import Foundation
import Testing
import VaporTesting

/// Assigning, reassigning and unassigning a case, and the lists staff work from: my cases, a
/// person's, a team's, the unassigned.
@Suite struct AssignmentTests {
    @Test(arguments: TestDatabase.all) func managersAssignAndReassignAgentsTakeAndGiveUpTheirOwn(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "ASG")
            let user = try await desk.person(in: org, email: "u@asg.test", role: "user")
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let ann = try await WorkDeskTests.staff(desk, "ann@provider.test")
            let bob = try await WorkDeskTests.staff(desk, "bob@provider.test")
            let outsider = try await WorkDeskTests.staff(desk, "ole@provider.test")
            for agent in [ann, bob] { #expect(try await WorkDeskTests.join(desk, "pro-plus.tier-1", agent.id).status == .ok) }
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Down","description":"All","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let path = "/api/v1/cases/\(id)/assignee"

            // A manager assigns Ann; the case leaves the queue and the timeline says who and by whom.
            let assigned = try await desk.call(.PUT, path, token: manager.token, body: #"{"person":"\#(ann.id)"}"#)
            #expect(assigned.status == .ok, "\(assigned.json)")
            #expect(WorkDeskTests.work(assigned)["assignee"] as? String == ann.id)
            #expect(WorkDeskTests.work(assigned)["assignedAt"] as? String == "2026-03-02T15:00:00Z")
            // Reassigned to Bob, with If-Match of what the manager saw.
            let version = try #require(assigned.headers.first(name: .eTag))
            let stale = try await desk.call(.PUT, path, token: manager.token, body: #"{"person":"\#(bob.id)"}"#, headers: [("If-Match", "\"1\"")])
            #expect(stale.status == .preconditionFailed)
            let reassigned = try await desk.call(.PUT, path, token: manager.token, body: #"{"person":"\#(bob.id)"}"#, headers: [("If-Match", version)])
            #expect(reassigned.status == .ok && WorkDeskTests.work(reassigned)["assignee"] as? String == bob.id, "\(reassigned.json)")
            let events = try #require(reassigned["events"] as? [[String: Any]])
            let bodies = events.filter { $0["kind"] as? String == "assigned" }.compactMap { $0["body"] as? String }
            #expect(bodies == ["assigned to ann@provider.test by mia@provider.test", "assigned to bob@provider.test (was ann@provider.test) by mia@provider.test"])

            // Refusals: the same person again, someone outside the case's team, a customer, an agent for another.
            #expect(try await desk.call(.PUT, path, token: manager.token, body: #"{"person":"\#(bob.id)"}"#).status == .conflict)
            let notMember = try await desk.call(.PUT, path, token: manager.token, body: #"{"person":"\#(outsider.id)"}"#)
            #expect(notMember.status == .unprocessableEntity && notMember.string["field"] == "person")
            #expect(notMember.string["detail"] == "ole@provider.test is not a member of pro-plus.tier-1, the case's team; a manager adds them to it first")
            let customer = try await desk.call(.PUT, path, token: user.token, body: #"{"person":"\#(ann.id)"}"#)
            #expect(customer.status == .forbidden)
            let forOther = try await desk.call(.PUT, path, token: ann.token, body: #"{"person":"\#(ann.id)"}"#)
            #expect(forOther.status == .ok, "an agent takes a case for themselves")
            #expect(try await desk.call(.PUT, path, token: ann.token, body: #"{"person":"\#(bob.id)"}"#).status == .forbidden)
            let unknown = try await desk.call(.PUT, path, token: manager.token, body: #"{"person":"\#(UUID())"}"#)
            #expect(unknown.status == .unprocessableEntity && unknown.string["field"] == "person")
            #expect(try await desk.call(.PUT, path, token: manager.token, body: #"{"person":"nope"}"#).status == .unprocessableEntity)

            // Bob may not take it from Ann; Ann gives it up; then there is nobody to take it from.
            #expect(try await desk.call(.DELETE, path, token: bob.token).status == .forbidden)
            let givenUp = try await desk.call(.DELETE, path, token: ann.token)
            #expect(givenUp.status == .ok && WorkDeskTests.work(givenUp)["assignee"] == nil, "\(givenUp.json)")
            let last = (givenUp["events"] as? [[String: Any]])?.last
            #expect(last?["kind"] as? String == "unassigned")
            #expect(last?["body"] as? String == "taken from ann@provider.test by ann@provider.test; the case waits in pro-plus.tier-1")
            #expect(try await desk.call(.DELETE, path, token: manager.token).status == .conflict)
            // The customer sees none of it.
            let seen = try await desk.call(.GET, "/api/v1/cases/\(id)", token: user.token)
            #expect((seen["events"] as? [[String: Any]])?.contains { ["assigned", "unassigned"].contains($0["kind"] as? String) } == false)
        }
    }

    @Test(arguments: TestDatabase.all) func staffListTheirOwnAPersonsATeamsAndTheUnassignedCases(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "MINE")
            let user = try await desk.person(in: org, email: "u@mine.test", role: "user")
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let ann = try await WorkDeskTests.staff(desk, "ann@provider.test")
            #expect(try await WorkDeskTests.join(desk, "pro-plus.tier-1", ann.id).status == .ok)
            var numbers: [String] = [], ids: [String] = []
            for index in 0..<3 {
                let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Case \#(index)","description":"d","channel":"web"}"#)
                numbers.append(try #require(logged.string["number"]))
                ids.append(try #require(logged.string["id"]))
            }
            for id in ids.prefix(2) {
                #expect(try await desk.call(.PUT, "/api/v1/cases/\(id)/assignee", token: manager.token, body: #"{"person":"\#(ann.id)"}"#).status == .ok)
            }
            func listed(_ query: String, token: String) async throws -> [String] {
                let page = try await desk.call(.GET, "/api/v1/cases?\(query)", token: token)
                #expect(page.status == .ok, "\(query): \(page.json)")
                return (page["items"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
            }
            #expect(try await listed("assignee=me", token: ann.token) == [numbers[1], numbers[0]])
            #expect(try await listed("assignee=\(ann.id)", token: manager.token) == [numbers[1], numbers[0]])
            #expect(try await listed("assignee=none", token: manager.token) == [numbers[2]])
            #expect(try await listed("assignee=me", token: manager.token) == [])
            #expect(try await listed("team=pro-plus.tier-1", token: manager.token) == [numbers[2], numbers[1], numbers[0]])
            #expect(try await listed("team=pro-plus.tier-1&assignee=none&status=new", token: ann.token) == [numbers[2]])
            // Refusals: customers, and what names no person or queue.
            #expect(try await desk.call(.GET, "/api/v1/cases?assignee=me", token: user.token).status == .forbidden)
            let badAssignee = try await desk.call(.GET, "/api/v1/cases?assignee=someone", token: manager.token)
            #expect(badAssignee.status == .badRequest && badAssignee.string["field"] == "assignee")
            for team in ["tier-1", "pro-plus.tier-9", "nope.tier-1"] {
                let bad = try await desk.call(.GET, "/api/v1/cases?team=\(team)", token: manager.token)
                #expect(bad.status == .badRequest && bad.string["field"] == "team", "\(team): \(bad.json)")
            }
        }
    }
}
