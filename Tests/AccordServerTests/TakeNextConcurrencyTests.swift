import Foundation
import Testing
import Vapor

/// Fifty agents asking for work at once: every waiting case is handed out exactly once.
@Suite struct TakeNextConcurrencyTests {
    @Test(arguments: TestDatabase.all) func fiftyAgentsAtOnceNeverGetTheSameCase(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-24T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "RUSH")
            let user = try await desk.person(in: org, email: "ursula@rush.test", role: "user")
            var logged: Set<String> = []
            for index in 0..<200 {
                let reply = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Case \#(index)","description":"Down","channel":"web"}"#)
                logged.insert(try #require(reply.string["number"]))
            }
            var agents: [(id: String, token: String)] = []
            for index in 0..<50 {
                let agent = try await WorkDeskTests.staff(desk, "agent\(index)@provider.test")
                #expect(try await WorkDeskTests.join(desk, "pro-plus.tier-1", agent.id).status == .ok)
                agents.append(agent)
            }
            let handedOut = try await withThrowingTaskGroup(of: [(number: String, agent: String, assignee: String?, assignments: [String])].self) { group in
                for agent in agents {
                    group.addTask {
                        var mine: [(String, String, String?, [String])] = []
                        while true {
                            let next = try await desk.call(.POST, "/api/v1/take-next", token: agent.token)
                            if next.status == .noContent { return mine }
                            guard next.status == .ok, let number = next.string["number"] else {
                                Issue.record("take-next answered \(next.status): \(next.json)")
                                return mine
                            }
                            let assignments = (next["events"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "assigned" }
                            mine.append((number, agent.id, WorkDeskTests.work(next)["assignee"] as? String, assignments.compactMap { $0["value"] as? String }))
                        }
                    }
                }
                var all: [(number: String, agent: String, assignee: String?, assignments: [String])] = []
                for try await mine in group { all += mine }
                return all
            }
            #expect(handedOut.count == 200, "no case lost")
            #expect(Set(handedOut.map(\.number)) == logged, "every case handed out, none twice")
            #expect(handedOut.allSatisfy { $0.assignee == $0.agent }, "each case is assigned to the agent that got it")
            #expect(handedOut.allSatisfy { $0.assignments == [$0.agent] }, "each timeline records the one hand-over, to that agent")
            #expect(Set(handedOut.map(\.agent)).count > 1, "the work was shared")
            let queue = try await desk.call(.GET, "/api/v1/queues/pro-plus.tier-1", token: desk.adminToken)
            #expect((queue["positions"] as? [Any])?.isEmpty == true)
        }
    }
}
