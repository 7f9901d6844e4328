import AccordServer
import AccordStore
import Foundation
import Testing
import VaporTesting

/// Clocks that tell the truth through the whole life of a case, over HTTP: the case's resolution
/// ends them, only the provider's fix or workaround meets the provider's clocks, the customer's
/// answer resumes them, a priority change re-routes and explains its re-target, a patch clock waits
/// for the patch, and the recurring clocks run.
@Suite(.serialized) struct ClockTruthTests {
    /// A status change with the case's current ETag.
    static func status(_ desk: DeskHarness, _ id: String, _ value: String, token: String, resolution: String? = nil) async throws -> DeskHarness.Reply {
        let current = try await desk.call(.GET, "/api/v1/cases/\(id)", token: token)
        let etag = try #require(current.headers.first(name: .eTag))
        let extra = resolution.map { #","resolution":"\#($0)""# } ?? ""
        return try await desk.call(.POST, "/api/v1/cases/\(id)/events", token: token,
                                   body: #"{"kind":"status-change","value":"\#(value)"\#(extra)}"#, headers: [("If-Match", etag)])
    }

    static func event(_ desk: DeskHarness, _ id: String, _ body: String, token: String, ifMatch: Bool = false) async throws -> DeskHarness.Reply {
        var headers: [(String, String)] = []
        if ifMatch {
            let current = try await desk.call(.GET, "/api/v1/cases/\(id)", token: token)
            headers.append(("If-Match", try #require(current.headers.first(name: .eTag))))
        }
        return try await desk.call(.POST, "/api/v1/cases/\(id)/events", token: token, body: body, headers: headers)
    }

    static func kinds(_ reply: DeskHarness.Reply) -> [String] {
        (reply["events"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
    }

    @Test(arguments: TestDatabase.all) func resolvingWithoutAReplyEndsTheFirstResponseClock(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z", on: database) { desk in  // Monday 09:00 in Detroit
            let org = try await desk.organization("plex", plan: "silver", prefix: "RES")
            let contact = try await desk.person(in: org, email: "ann@res.test", role: "authorized-contact")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: contact.token,
                                             body: #"{"title":"How to export","description":"Question","priority":"p3","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            desk.set("2026-11-16T15:00:00Z")
            let resolved = try await Self.status(desk, id, "resolved", token: desk.adminToken, resolution: "fix")
            #expect(resolved.status == .created, "\(resolved.json)")
            let clock = try #require(desk.clock(resolved))
            #expect(clock["state"] as? String == "cancelled")
            #expect((clock["ending"] as? String)?.contains("no longer applies") == true)
            // Nothing left for the monitor to raise, and long after the due the clock is still not breached.
            let alarms = try await desk.call(.GET, "/api/v1/cases/\(id)/alarms", token: desk.adminToken)
            #expect((alarms["pending"] as? [Any])?.isEmpty == true)
            let raised = try await DeskStore(database: desk.app.db).sweep(at: DeskHarness.date("2026-11-30T00:00:00Z"), notifying: .webhooksOnly)
            #expect(raised.isEmpty)
            desk.set("2026-11-30T00:00:00Z")
            let closed = try await Self.status(desk, id, "closed", token: desk.adminToken)
            #expect(desk.clock(closed)?["state"] as? String == "cancelled")
            let breached = try await desk.call(.GET, "/api/v1/cases?breached=true", token: desk.adminToken)
            #expect((breached["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: TestDatabase.all) func onlyStaffRecordAFixACustomerMayWithdraw(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T14:00:00Z", on: database) { desk in  // Monday 09:00 in New York
            let org = try await desk.organization("plixer", plan: "standard", prefix: "PLX")
            let user = try await desk.person(in: org, email: "u@plx.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                             body: #"{"title":"Flow loss","description":"Collector drops flows","priority":"severity-1","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            #expect(desk.clock(logged, "resolution")?["state"] as? String == "not-started")
            #expect(desk.clock(logged, "resolution")?["target"] as? String == "5 days")
            desk.set("2026-03-02T15:00:00Z")
            let confirmed = try await Self.event(desk, id, #"{"kind":"defect-confirmed"}"#, token: desk.adminToken)
            #expect(desk.clock(confirmed, "resolution")?["state"] as? String == "running")
            let again = try await Self.event(desk, id, #"{"kind":"defect-confirmed"}"#, token: desk.adminToken)
            #expect(again.status == .conflict)
            #expect(again.string["detail"]?.contains("already confirmed") == true)

            for outcome in ["fix", "workaround"] {
                let refused = try await Self.status(desk, id, "resolved", token: user.token, resolution: outcome)
                #expect(refused.status == .forbidden)
                #expect(refused.string["field"] == "resolution")
            }
            let pausing = try await Self.status(desk, id, "awaiting-customer", token: user.token)
            #expect(pausing.status == .forbidden, "a customer does not pause the provider's clocks")
            let unknown = try await Self.status(desk, id, "resolved", token: user.token, resolution: "solved")
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.string["detail"]?.contains("withdrawn") == true)

            desk.set("2026-03-03T15:00:00Z")
            let withdrawn = try await Self.status(desk, id, "resolved", token: user.token, resolution: "withdrawn")
            #expect(withdrawn.status == .created, "\(withdrawn.json)")
            #expect(desk.clock(withdrawn, "resolution")?["state"] as? String == "cancelled")
            #expect(desk.clock(withdrawn, "resolution")?["lateNotice"] == nil)
            #expect((withdrawn["events"] as? [[String: Any]])?.last?["value"] as? String == "resolved:withdrawn")
        }
    }

    @Test(arguments: TestDatabase.all) func theCustomersAnswerResumesAndReopens(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in  // Monday 10:00 in Denmark
            let org = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "ANS")
            let anna = try await desk.person(in: org, email: "anna@ans.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(priority: "high"))
            let id = try #require(logged.string["id"])
            desk.set("2026-03-02T10:00:00Z")
            let waiting = try await Self.status(desk, id, "awaiting-customer", token: desk.adminToken)
            #expect(desk.clock(waiting)?["state"] as? String == "paused")
            desk.set("2026-03-02T12:00:00Z")
            let answer = try await Self.event(desk, id, #"{"kind":"customer-message","body":"Here is the log"}"#, token: anna.token)
            #expect(answer.status == .created)
            #expect(answer.string["status"] == "open")
            #expect(Self.kinds(answer).suffix(2) == ["customer-message", "status-change"])
            let clock = try #require(desk.clock(answer))
            #expect(clock["state"] as? String == "running")
            // 4 business hours: 10:00-11:00 CET before the pause, then from 13:00 CET to 16:00 CET.
            #expect(clock["due"] as? String == "2026-03-02T15:00:00Z")

            desk.set("2026-03-02T13:00:00Z")
            _ = try await Self.event(desk, id, #"{"kind":"public-reply","body":"Fixed in SP3"}"#, token: desk.adminToken)
            _ = try await Self.status(desk, id, "resolved", token: desk.adminToken, resolution: "fix")
            desk.set("2026-03-05T13:00:00Z")
            let reopened = try await Self.event(desk, id, #"{"kind":"customer-message","body":"It came back"}"#, token: anna.token)
            #expect(reopened.status == .created)
            #expect(reopened.string["status"] == "open")
            _ = try await Self.status(desk, id, "resolved", token: desk.adminToken, resolution: "fix")
            _ = try await Self.status(desk, id, "closed", token: desk.adminToken)
            let onClosed = try await Self.event(desk, id, #"{"kind":"customer-message","body":"One more thing"}"#, token: anna.token)
            #expect(onClosed.status == .conflict)
            #expect(onClosed.string["detail"]?.contains("log a new case") == true)

            // A resolved case past the reopen window (14 days) refuses the message the same way.
            let other = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(priority: "low"))
            let otherID = try #require(other.string["id"])
            _ = try await Self.status(desk, otherID, "resolved", token: desk.adminToken, resolution: "workaround")
            desk.set("2026-03-20T13:00:01Z")
            let late = try await Self.event(desk, otherID, #"{"kind":"customer-message","body":"Still there?"}"#, token: anna.token)
            #expect(late.status == .conflict)
            #expect(late.string["detail"]?.contains("within 14 days") == true)
        }
    }

    @Test(arguments: TestDatabase.all) func raisingToP1MovesTheCaseToTheP1DeskAndExplainsTheTarget(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z", on: database) { desk in  // Monday 09:00 in Detroit
            let org = try await desk.organization("plex", plan: "gold", prefix: "UPG")
            let contact = try await desk.person(in: org, email: "c@upg.test", role: "authorized-contact")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: contact.token,
                                             body: #"{"title":"Line slow","description":"Scanning slow","priority":"p3","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            #expect((logged["work"] as? [String: Any])?["team"] as? String == "americas")
            desk.set("2026-11-16T17:00:00Z")  // 12:00 in Detroit, three hours later
            let same = try await Self.event(desk, id, #"{"kind":"priority-change","value":"p3"}"#, token: desk.adminToken, ifMatch: true)
            #expect(same.status == .conflict)
            let raised = try await Self.event(desk, id, #"{"kind":"priority-change","value":"p1"}"#, token: desk.adminToken, ifMatch: true)
            #expect(raised.status == .created, "\(raised.json)")
            #expect((raised["work"] as? [String: Any])?["team"] as? String == "p1-desk")
            #expect(Self.kinds(raised).suffix(3) == ["priority-change", "routed", "retargeted"])
            let clock = try #require(desk.clock(raised))
            // Plex re-targets upgrades from the change: one calendar hour from 12:00, not a breach at 10:00.
            #expect(clock["target"] as? String == "1 calendar hour")
            #expect(clock["clockStart"] as? String == "2026-11-16T17:00:00Z")
            #expect(clock["due"] as? String == "2026-11-16T18:00:00Z")
            #expect(clock["state"] as? String == "running")
            let retarget = try #require(clock["retarget"] as? [String: Any])
            #expect(retarget["from"] as? String == "p3" && retarget["to"] as? String == "p1")
            #expect(retarget["direction"] as? String == "upgrade" && retarget["rule"] as? String == "from-change")
            let explanation = try #require((raised["events"] as? [[String: Any]])?.last?["body"] as? String)
            #expect(explanation.contains("Target initial response: 1 calendar hour counts from the change at 2026-11-16T17:00:00Z"))
            #expect(explanation.contains("was 24 business hours, due 2026-11-17T14:00:00Z"))
            // The customer sees why the target moved, but not the internal routing.
            let seen = try await desk.call(.GET, "/api/v1/cases/\(id)", token: contact.token)
            #expect(Self.kinds(seen).contains("retargeted") && !Self.kinds(seen).contains("routed"))
            // The P1 desk's queue now holds it.
            let queue = try await desk.call(.GET, "/api/v1/queues/plex.p1-desk", token: desk.adminToken)
            #expect((queue["positions"] as? [[String: Any]])?.count == 1)

            // Lowering it again keeps the start in force (downgrades are retroactive) and routes it back.
            desk.set("2026-11-16T17:30:00Z")
            let lowered = try await Self.event(desk, id, #"{"kind":"priority-change","value":"p2"}"#, token: desk.adminToken, ifMatch: true)
            #expect((lowered["work"] as? [String: Any])?["team"] as? String == "americas")
            #expect(desk.clock(lowered)?["clockStart"] as? String == "2026-11-16T17:00:00Z")
            #expect(desk.clock(lowered)?["due"] as? String == "2026-11-17T05:00:00Z")  // 12 business hours of whole weekdays
            #expect((desk.clock(lowered)?["retarget"] as? [String: Any])?["rule"] as? String == "retroactive")
        }
    }

    @Test(arguments: TestDatabase.all) func aPatchClockWaitsForThePatchAndStartsAtItsAvailability(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-05-01T16:00:00Z", on: database) { desk in  // Friday 12:00 in New York
            let org = try await desk.organization("plixer", plan: "standard", prefix: "CVE")
            let user = try await desk.person(in: org, email: "u@cve.test", role: "user")
            let plain = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                            body: #"{"title":"UI","description":"Button","priority":"severity-4","channel":"web"}"#)
            let vulnerable = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                                 body: #"{"title":"OpenSSL","description":"CVE in OS","priority":"severity-2","channel":"web","cvss":9.8}"#)
            let id = try #require(vulnerable.string["id"])
            let waiting = try #require(desk.clock(vulnerable, "patch"))
            #expect(waiting["state"] as? String == "not-started" && waiting["target"] as? String == "7 days")
            #expect((waiting["note"] as? String)?.contains("waiting for a patch") == true)
            #expect(waiting["due"] == nil)

            let noCVSS = try await Self.event(desk, try #require(plain.string["id"]), #"{"kind":"patch-available"}"#, token: desk.adminToken)
            #expect(noCVSS.status == .conflict)
            #expect(noCVSS.string["detail"]?.contains("no CVSS score") == true)
            desk.set("2026-05-11T13:00:00Z")
            let future = try await Self.event(desk, id, #"{"kind":"patch-available","value":"2026-05-12T09:00:00-04:00"}"#, token: desk.adminToken)
            #expect(future.status == .unprocessableEntity && future.string["field"] == "value")
            let garbled = try await Self.event(desk, id, #"{"kind":"patch-available","value":"next tuesday"}"#, token: desk.adminToken)
            #expect(garbled.status == .unprocessableEntity && garbled.string["field"] == "value")
            let recorded = try await Self.event(desk, id, #"{"kind":"patch-available","value":"2026-05-10T09:00:00-04:00"}"#, token: desk.adminToken)
            #expect(recorded.status == .created, "\(recorded.json)")
            let patch = try #require(desk.clock(recorded, "patch"))
            // The later of the notification (1 May) and the availability (10 May 09:00): due 17 May 09:00 EDT.
            #expect(patch["clockStart"] as? String == "2026-05-10T13:00:00Z")
            #expect(patch["due"] as? String == "2026-05-17T13:00:00Z")
            #expect(patch["state"] as? String == "running")
            let second = try await Self.event(desk, id, #"{"kind":"patch-available"}"#, token: desk.adminToken)
            #expect(second.status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.all) func plexP1RunsItsUpdateClockAroundTheClock(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-21T07:00:00Z", on: database) { desk in  // Saturday 02:00 in Detroit
            let org = try await desk.organization("plex", plan: "silver", prefix: "UPD")
            let user = try await desk.person(in: org, email: "u@upd.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                             body: #"{"title":"Down","description":"Cannot ship","priority":"p1","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let first = try #require(desk.clock(logged, "p1-updates"))
            #expect(first["target"] as? String == "4 calendar hours" && first["due"] as? String == "2026-11-21T11:00:00Z" && first["cycle"] as? Int == 1)
            // Nobody updates the customer for four hours: the monitor raises the first run's breach.
            let store = DeskStore(database: desk.app.db)
            let first4h = try await store.sweep(at: DeskHarness.date("2026-11-21T11:00:00Z"), notifying: .webhooksOnly).alarms()
            #expect(first4h.contains { $0.metric == "p1-updates" && $0.kind == "breach" && $0.event == "sla.breach" })
            desk.set("2026-11-21T11:10:00Z")
            let reply = try await Self.event(desk, id, #"{"kind":"public-reply","body":"Working on it"}"#, token: desk.adminToken)
            let second = try #require(desk.clock(reply, "p1-updates"))
            #expect(second["cycle"] as? Int == 2 && second["due"] as? String == "2026-11-21T15:10:00Z" && second["state"] as? String == "running")
            // The second run is warned about and breached on its own (its alarms carry @2).
            let pending = try await desk.call(.GET, "/api/v1/cases/\(id)/alarms", token: desk.adminToken)
            #expect((pending["pending"] as? [[String: Any]])?.contains { $0["metric"] as? String == "p1-updates" && $0["kind"] as? String == "breach@2"
                && $0["at"] as? String == "2026-11-21T15:10:00Z" } == true)
            let secondBreach = try await store.sweep(at: DeskHarness.date("2026-11-21T15:10:00Z"), notifying: .webhooksOnly).alarms()
            #expect(secondBreach.filter { $0.metric == "p1-updates" }.map(\.kind) == ["warning-75@2", "warning-90@2", "breach@2"])
            #expect(secondBreach.last?.event == "sla.breach")
            desk.set("2026-11-21T15:30:00Z")
            let fixed = try await Self.status(desk, id, "resolved", token: desk.adminToken, resolution: "workaround")
            #expect(desk.clock(fixed, "p1-updates")?["state"] as? String == "breached", "the second run's due passed before the workaround")
        }
    }
}
