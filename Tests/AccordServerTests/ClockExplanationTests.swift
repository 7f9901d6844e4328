import AccordCore
import AccordServer
import BusinessTime
import Foundation
import Testing

/// "Why is it due then", as data from the API: the engine's explanation of a case's clock, every
/// day counted, every holiday skipped by name, every pause with its cause — the same the engine
/// gives for the same facts.
@Suite struct ClockExplanationTests {
    /// A PLM Premium critical request logged on the Wednesday before Easter, 15:30 in Copenhagen,
    /// paused for half an hour awaiting the customer on the Tuesday after.
    @Test(arguments: TestDatabase.all) func explainsEachDayHolidayAndPause(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-04-01T13:30:00Z", on: database) { desk in
            let org = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "FJD")
            let user = try await desk.person(in: org, email: "ola@fjord.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: DeskHarness.plmCase(priority: "critical"))
            #expect(logged.status == .created, "\(logged.json)")
            let id = try #require(logged.string["id"])
            let agent = try await WorkDeskTests.staff(desk, "tia@provider.test", role: "agent", tier: 1)
            desk.set("2026-04-07T06:30:00Z")
            #expect(try await ClockTruthTests.status(desk, id, "awaiting-customer", token: agent.token).status == .created)
            desk.set("2026-04-07T06:45:00Z")
            let paused = try await desk.call(.GET, "/api/v1/cases/\(id)/clocks/initial-response/explanation", token: user.token)
            #expect(paused.status == .ok, "\(paused.json)")
            #expect(paused["pausedNow"] as? Bool == true)
            #expect((paused["due"] as? [String: Any])?["local"] as? String == "2026-04-07T09:45:00+02:00", "if resumed now: 15 minutes later")
            desk.set("2026-04-07T07:00:00Z")
            #expect(try await ClockTruthTests.status(desk, id, "open", token: user.token).status == .created)
            desk.set("2026-04-07T07:30:00Z")

            let reply = try await desk.call(.GET, "/api/v1/cases/\(id)/clocks/initial-response/explanation", token: user.token)
            #expect(reply.status == .ok, "\(reply.json)")
            #expect(reply["state"] as? String == "running")
            #expect(reply["pausedNow"] as? Bool == false)
            #expect(reply["calendar"] as? [String: String] == ["id": "denmark", "version": "1", "zone": "Europe/Copenhagen"])
            #expect(reply["target"] as? [String: String] == ["text": "2 business hours", "kind": "business-time"])
            #expect((reply["due"] as? [String: Any])?["local"] as? String == "2026-04-07T10:00:00+02:00")
            #expect((reply["due"] as? [String: Any])?["at"] as? String == "2026-04-07T08:00:00Z")
            #expect(reply["countedSeconds"] as? Int == 7200)
            let days = try #require(reply["days"] as? [[String: Any]])
            #expect(days.map { $0["date"] as? String } == ["2026-04-01", "2026-04-02", "2026-04-03", "2026-04-04", "2026-04-05", "2026-04-06", "2026-04-07"])
            #expect(days.compactMap { $0["holiday"] as? String } == ["Maundy Thursday", "Good Friday", "Easter Sunday", "Easter Monday"])
            #expect(days.map { $0["skipped"] as? Bool } == [false, true, true, true, true, true, false])
            #expect(days[3]["kind"] as? String == "closed")
            #expect(days[0]["countedSeconds"] as? Int == 1800)
            #expect((days[6]["counted"] as? [[String: String]]) == [["from": "08:00", "to": "08:30"], ["from": "09:00", "to": "10:00"]])
            let pauses = try #require(reply["pauses"] as? [[String: Any]])
            #expect(pauses.count == 1)
            #expect(pauses.first?["addedSeconds"] as? Int == 1800)
            #expect(pauses.first?["cause"] as? String == "the case was awaiting-customer")

            // The same as the engine's own explanation of the same facts, word for word.
            let policy = try Presets.policy("plm-group")
            let answer = try policy.answer(DeadlineQuery(plan: "premium", priority: "critical", region: "denmark", metric: "initial-response",
                                                         opened: .instant(1_775_050_200), pauses: [(from: .instant(1_775_543_400), to: .instant(1_775_545_200))]))
            let engine = try #require(try answer.explanation())
            #expect(reply["lines"] as? [String] == engine.lines)

            // A clock the policy does not have, or a case the caller may not see: 404.
            let unknown = try await desk.call(.GET, "/api/v1/cases/\(id)/clocks/resolution/explanation", token: user.token)
            #expect(unknown.status == .notFound)
            #expect((unknown.string["detail"])?.contains("its clocks: initial-response") == true)
            let stranger = try await desk.person(in: org, email: "kari@fjord.test", role: "user")
            #expect(try await desk.call(.GET, "/api/v1/cases/\(id)/clocks/initial-response/explanation", token: stranger.token).status == .notFound,
                    "PLM: a request is seen by its requester only")
        }
    }

    /// A clock that has not started has no deadline to explain: 409 saying so.
    @Test func aClockNotCountingHasNothingToExplain() async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z") { desk in
            let org = try await desk.organization("plixer", plan: "standard", region: "us-east", prefix: "NWN")
            let user = try await desk.person(in: org, email: "nina@nwn.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                             body: #"{"title":"Collector drops flows","description":"above 40k fps","priority":"severity-2","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let reply = try await desk.call(.GET, "/api/v1/cases/\(id)/clocks/resolution/explanation", token: user.token)
            #expect(reply.status == .conflict)
            #expect(reply.string["detail"]?.contains("is not counting") == true)
        }
    }
}
