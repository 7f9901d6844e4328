import Foundation
import Testing
import VaporTesting

/// Linking cases that concern the same thing, and merging a duplicate into the case that carries
/// the request on: facts on both timelines; the merged case keeps its history and takes nothing
/// more; the surviving case's clocks stay its own.
@Suite struct CaseRelationsTests {
    @Test(arguments: TestDatabase.all) func aDuplicateIsMergedAndTheSurvivorsClocksStayTrue(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in  // Monday 10:00 in Copenhagen
            let plm = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "DUP")
            let anna = try await desk.person(in: plm, email: "anna@dup.test", role: "user")
            let bo = try await desk.person(in: plm, email: "bo@dup.test", role: "user")
            let agent = try await WorkDeskTests.staff(desk, "ann@provider.test")
            let first = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(priority: "high"))
            let survivorID = try #require(first.string["id"])
            let survivorDue = try #require(desk.clock(first)?["due"] as? String)
            desk.set("2026-03-02T13:30:00Z")  // the duplicate's 4 business hours run out at 16:00 Copenhagen... not yet
            let second = try await desk.call(.POST, "/api/v1/cases", token: bo.token, body: DeskHarness.plmCase(priority: "high"))
            let duplicateID = try #require(second.string["id"])
            #expect(try await desk.call(.POST, "/api/v1/cases/\(duplicateID)/merge", token: bo.token, body: #"{"into":"\#(survivorID)"}"#).status == .forbidden)
            let itself = try await desk.call(.POST, "/api/v1/cases/\(duplicateID)/merge", token: agent.token, body: #"{"into":"\#(duplicateID)"}"#)
            #expect(itself.status == .unprocessableEntity && itself.string["field"] == "into")
            let unknown = try await desk.call(.POST, "/api/v1/cases/\(duplicateID)/merge", token: agent.token, body: #"{"into":"\#(UUID())"}"#)
            #expect(unknown.status == .unprocessableEntity && unknown.string["field"] == "into")

            desk.set("2026-03-02T14:00:00Z")
            let merged = try await desk.call(.POST, "/api/v1/cases/\(duplicateID)/merge", token: agent.token,
                                             body: #"{"into":"\#(survivorID)","reason":"same crash, reported twice"}"#)
            #expect(merged.status == .ok, "\(merged.json)")
            #expect(merged.string["id"] == survivorID)
            #expect(merged["merged"] as? [String] == [duplicateID])
            #expect(desk.clock(merged)?["due"] as? String == survivorDue, "the survivor's clock is its own")
            #expect(desk.clock(merged)?["state"] as? String == "running")
            let survivorEvents = try #require(merged["events"] as? [[String: Any]])
            let number = try #require(second.string["number"])
            #expect(survivorEvents.last?["kind"] as? String == "merged")
            #expect(survivorEvents.last?["body"] as? String == "\(number) merged into this case: same crash, reported twice")
            // Bo follows the survivor as CC, so he sees it though PLM shows a requester only their own.
            #expect((merged["watchers"] as? [[String: Any]])?.contains { $0["email"] as? String == "bo@dup.test" } == true)
            #expect(try await desk.call(.GET, "/api/v1/cases/\(survivorID)", token: bo.token).status == .ok)

            // The duplicate keeps its history, closed as a duplicate; its clock is cancelled, not met.
            let duplicate = try await desk.call(.GET, "/api/v1/cases/\(duplicateID)", token: bo.token)
            #expect(duplicate.string["status"] == "closed" && duplicate.string["mergedInto"] == survivorID)
            #expect(desk.clock(duplicate)?["state"] as? String == "cancelled")
            #expect((desk.clock(duplicate)?["ending"] as? String)?.contains("merged into another") == true)
            let kinds = (duplicate["events"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
            #expect(kinds.suffix(2) == ["merged-into", "status-change"])
            // It takes nothing more, and cannot be merged twice.
            let message = try await desk.call(.POST, "/api/v1/cases/\(duplicateID)/events", token: bo.token, body: #"{"kind":"customer-message","body":"any news?"}"#)
            let survivorNumber = try #require(first.string["number"])
            #expect(message.status == .conflict && message.string["detail"]?.contains("was merged into \(survivorNumber)") == true)
            let again = try await desk.call(.POST, "/api/v1/cases/\(duplicateID)/merge", token: agent.token, body: #"{"into":"\#(survivorID)"}"#)
            #expect(again.status == .conflict)
            let upload = try await desk.upload("/api/v1/cases/\(duplicateID)/attachments", token: bo.token, filename: "a.txt", data: Data("x".utf8))
            #expect(upload.status == .conflict)
            // A duplicate resolved with "duplicate" by hand is refused: only a merge records it.
            let byHand = try await desk.call(.POST, "/api/v1/cases/\(survivorID)/events", token: agent.token,
                                             body: #"{"kind":"status-change","value":"resolved","resolution":"duplicate"}"#,
                                             headers: [("If-Match", try #require(merged.headers.first(name: .eTag)))])
            #expect(byHand.status == .forbidden || byHand.status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.all) func aBreachBeforeTheMergeStandsAndOtherCustomersAreNotMerged(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "LATEDUP")
            let anna = try await desk.person(in: plm, email: "anna@latedup.test", role: "user")
            let agent = try await WorkDeskTests.staff(desk, "ann@provider.test")
            let survivor = try #require(try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(priority: "high")).string["id"])
            let late = try #require(try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(priority: "high")).string["id"])
            desk.set("2026-03-03T09:00:00Z")  // both initial responses breached
            #expect(try await desk.call(.POST, "/api/v1/cases/\(late)/merge", token: agent.token, body: #"{"into":"\#(survivor)"}"#).status == .ok)
            let duplicate = try await desk.call(.GET, "/api/v1/cases/\(late)", token: agent.token)
            #expect(desk.clock(duplicate)?["state"] as? String == "breached", "a breach before the merge stands")
            #expect((desk.clock(duplicate)?["ending"] as? String)?.contains("the breach stands") == true)

            let other = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "OTHERDUP")
            let eve = try await desk.person(in: other, email: "eve@otherdup.test", role: "user")
            let eves = try #require(try await desk.call(.POST, "/api/v1/cases", token: eve.token, body: DeskHarness.plmCase(priority: "high")).string["id"])
            let across = try await desk.call(.POST, "/api/v1/cases/\(eves)/merge", token: agent.token, body: #"{"into":"\#(survivor)"}"#)
            #expect(across.status == .conflict && across.string["detail"]?.contains("link them instead") == true)
            let intoMerged = try await desk.call(.POST, "/api/v1/cases/\(survivor)/merge", token: agent.token, body: #"{"into":"\#(late)"}"#)
            #expect(intoMerged.status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.all) func staffLinkCasesOnBothTimelinesAndCustomersDoNotSeeIt(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let one = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "LINKA")
            let two = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "LINKB")
            let ua = try await desk.person(in: one, email: "u@linka.test", role: "user")
            let ub = try await desk.person(in: two, email: "u@linkb.test", role: "user")
            let agent = try await WorkDeskTests.staff(desk, "ann@provider.test")
            let a = try #require(try await desk.call(.POST, "/api/v1/cases", token: ua.token, body: #"{"title":"Outage","description":"d","channel":"web"}"#).string["id"])
            let b = try #require(try await desk.call(.POST, "/api/v1/cases", token: ub.token, body: #"{"title":"Outage too","description":"d","channel":"web"}"#).string["id"])
            #expect(try await desk.call(.POST, "/api/v1/cases/\(a)/links", token: ua.token, body: #"{"case":"\#(b)"}"#).status == .forbidden)
            let linked = try await desk.call(.POST, "/api/v1/cases/\(a)/links", token: agent.token, body: #"{"case":"\#(b)"}"#)
            #expect(linked.status == .created, "\(linked.json)")
            #expect(linked["links"] as? [String] == [b])
            #expect(try await desk.call(.GET, "/api/v1/cases/\(b)", token: agent.token)["links"] as? [String] == [a])
            #expect(try await desk.call(.POST, "/api/v1/cases/\(a)/links", token: agent.token, body: #"{"case":"\#(b)"}"#).status == .conflict)
            #expect(try await desk.call(.POST, "/api/v1/cases/\(a)/links", token: agent.token, body: #"{"case":"\#(a)"}"#).string["field"] == "case")
            // The customer sees neither the link nor the other customer's case number.
            let seen = try await desk.call(.GET, "/api/v1/cases/\(a)", token: ua.token)
            #expect(seen["links"] == nil)
            #expect((seen["events"] as? [[String: Any]])?.contains { $0["kind"] as? String == "linked" } == false)
            let unlinked = try await desk.call(.DELETE, "/api/v1/cases/\(a)/links/\(b)", token: agent.token)
            #expect(unlinked.status == .ok && unlinked["links"] == nil)
            #expect(try await desk.call(.DELETE, "/api/v1/cases/\(a)/links/\(b)", token: agent.token).status == .notFound)
            // No such other case: the link is not there either (found by schemathesis: it was a 422 naming a body field).
            let unknown = try await desk.call(.DELETE, "/api/v1/cases/\(a)/links/\(UUID())", token: agent.token)
            #expect(unknown.status == .notFound && unknown.string["field"] == nil, "\(unknown.json)")
        }
    }
}
