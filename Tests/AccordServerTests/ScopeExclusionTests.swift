import Foundation
import Testing
import VaporTesting

/// Requests the contracts exclude from support (PLM's consultancy, Plex's Professional Services,
/// Plixer's development services) leave the SLA when staff classify them — but what the clocks had
/// already come to stays on record: a breach before the classification is never rewritten away.
@Suite struct ScopeExclusionTests {
    static func mark(_ desk: DeskHarness, _ id: String, _ body: String, token: String) async throws -> DeskHarness.Reply {
        try await desk.call(.POST, "/api/v1/cases/\(id)/events", token: token, body: #"{"kind":"out-of-scope","body":"\#(body)"}"#)
    }

    @Test(arguments: TestDatabase.all) func consultancyBeforeTheDueLeavesTheSLA(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "SCOPE")
            let anna = try await desk.person(in: plm, email: "anna@scope.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(priority: "high"))
            let id = try #require(logged.string["id"])
            #expect(desk.clock(logged)?["state"] as? String == "running")
            #expect(try await Self.mark(desk, id, "Installation", token: anna.token).status == .forbidden)
            let noReason = try await desk.call(.POST, "/api/v1/cases/\(id)/events", token: desk.adminToken, body: #"{"kind":"out-of-scope"}"#)
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.string["detail"]?.contains("Installation") == true)
            desk.set("2026-03-02T10:00:00Z")  // within the 4-hour response target
            let marked = try await Self.mark(desk, id, "Upgrade of the installation", token: desk.adminToken)
            #expect(marked.status == .created)
            #expect(marked.string["outOfScope"] == "consultancy")
            let clocks = try #require(marked["clocks"] as? [[String: Any]])
            #expect(!clocks.isEmpty && clocks.allSatisfy { $0["state"] as? String == "excluded" && $0["due"] == nil })
            // Long past the old due it is still no breach, and no listing of what falls due finds it.
            desk.set("2026-03-04T09:00:00Z")
            let later = try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken)
            #expect(desk.clock(later)?["state"] as? String == "excluded")
            let overdue = try await desk.call(.GET, "/api/v1/cases?dueBefore=2026-03-05T00:00:00Z", token: desk.adminToken)
            #expect((overdue["items"] as? [Any])?.count == 0)
            // The classification is a fact of the timeline, with who and why.
            let events = try #require(later["events"] as? [[String: Any]])
            let entry = try #require(events.first { $0["kind"] as? String == "out-of-scope" })
            let admin = try await desk.call(.GET, "/api/v1/me", token: desk.adminToken)
            #expect(entry["actor"] as? String == admin.string["id"])
            #expect(entry["body"] as? String == "Upgrade of the installation")
            #expect(entry["at"] as? String == "2026-03-02T10:00:00Z")
            #expect(try await Self.mark(desk, id, "again", token: desk.adminToken).status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.all) func aBreachBeforeTheClassificationStaysOnRecord(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "LATE")
            let anna = try await desk.person(in: plm, email: "anna@late.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(priority: "high"))
            let id = try #require(logged.string["id"])
            let due = try #require(desk.clock(logged)?["due"] as? String)
            desk.set("2026-03-02T20:00:00Z")  // past the 4-hour due
            let breached = try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken)
            #expect(desk.clock(breached)?["state"] as? String == "breached")
            let overrun = try #require(desk.clock(breached)?["remainingSeconds"] as? Int)
            let marked = try await Self.mark(desk, id, "Setup of templates", token: desk.adminToken)
            #expect(marked.status == .created)
            let response = try #require(desk.clock(marked))
            #expect(response["state"] as? String == "breached", "the breach is not rewritten away: \(response)")
            #expect(response["due"] as? String == due)
            #expect(response["remainingSeconds"] as? Int == overrun)
            #expect((response["note"] as? String)?.contains("breached before the request was classified out of scope (consultancy)") == true)
            // Frozen as it stood: a day later the overrun has not grown, and nothing counts any more.
            desk.set("2026-03-03T20:00:00Z")
            let later = try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken)
            #expect(desk.clock(later)?["state"] as? String == "breached")
            #expect(desk.clock(later)?["remainingSeconds"] as? Int == overrun)
            let clocks = try #require(later["clocks"] as? [[String: Any]])
            #expect(clocks.filter { $0["metric"] as? String != "initial-response" }.allSatisfy { $0["state"] as? String == "excluded" })
            let counting = try await desk.call(.GET, "/api/v1/cases?dueBefore=2026-03-10T00:00:00Z", token: desk.adminToken)
            #expect((counting["items"] as? [Any])?.count == 0, "a frozen breach is not work falling due")
            // A reply after the classification does not turn the breach into a late "met".
            let reply = try await desk.call(.POST, "/api/v1/cases/\(id)/events", token: desk.adminToken, body: #"{"kind":"public-reply","body":"This is consultancy; see our offer."}"#)
            #expect(desk.clock(reply)?["state"] as? String == "breached")
        }
    }

    @Test(arguments: TestDatabase.all) func plexListsItsContractsExclusions(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in  // Monday 10:00 in Detroit
            let plex = try await desk.organization("plex", plan: "gold", prefix: "EDI")
            let contact = try await desk.person(in: plex, email: "c@edi.test", role: "authorized-contact")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: contact.token,
                                             body: #"{"title":"New trading partner","description":"Set up EDI for a new partner","priority":"p3","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let noReason = try await desk.call(.POST, "/api/v1/cases/\(id)/events", token: desk.adminToken, body: #"{"kind":"out-of-scope"}"#)
            #expect(noReason.status == .unprocessableEntity)
            let detail = noReason.string["detail"] ?? ""
            for item in ["Professional Services beyond the scope of Customer Plans", "EDI beyond initial triage and general troubleshooting",
                         "Customizations or modifications not supported by the Documentation",
                         "A version of the Subscription Services for which support has been discontinued"] {
                #expect(detail.contains(item), "\(item) in \(detail)")
            }
            let marked = try await Self.mark(desk, id, "EDI: new trading partner is a Professional Services engagement", token: desk.adminToken)
            #expect(marked.status == .created)
            #expect(marked.string["outOfScope"] == "professional-services")
            #expect(desk.clock(marked)?["state"] as? String == "excluded")
        }
    }

    @Test(arguments: TestDatabase.all) func plixerExcludesNewFeaturesAndCustomDevelopment(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T14:00:00Z", on: database) { desk in  // Monday 09:00 in New York
            let org = try await desk.organization("plixer", plan: "standard", prefix: "FEAT")
            let user = try await desk.person(in: org, email: "u@feat.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                             body: #"{"title":"Add a dashboard","description":"We want a new report","priority":"severity-4","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            #expect(desk.clock(logged)?["due"] as? String == "2026-03-03T14:00:00Z", "one business day of 8-17 ET")
            let noReason = try await desk.call(.POST, "/api/v1/cases/\(id)/events", token: desk.adminToken, body: #"{"kind":"out-of-scope"}"#)
            #expect(noReason.string["detail"]?.contains("New features; Custom development") == true)
            desk.set("2026-03-04T14:00:00Z")  // a day after the response was due, unanswered
            let marked = try await Self.mark(desk, id, "New feature request: passed to sales", token: desk.adminToken)
            #expect(marked.string["outOfScope"] == "development-services")
            #expect(desk.clock(marked)?["state"] as? String == "breached")
            #expect(desk.clock(marked, "resolution")?["state"] as? String == "excluded")
        }
    }

    @Test(arguments: TestDatabase.all) func aPolicyWithoutExclusionsRefusesTheClassification(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "NOEX")
            let user = try await desk.person(in: org, email: "u@noex.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Down","description":"All","channel":"web"}"#)
            let id = try #require(logged.string["id"], "\(logged.json)")
            let refused = try await Self.mark(desk, id, "x", token: desk.adminToken)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.string["detail"]?.contains("lists no out-of-scope requests") == true)
        }
    }
}
