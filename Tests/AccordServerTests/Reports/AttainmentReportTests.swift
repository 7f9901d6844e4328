import AccordCore
import AccordServer
import FluentSQL
import Foundation
import Testing
import VaporTesting

/// `GET /api/v1/reports/attainment` over a PLM Group Premium customer's spring, lived through the
/// API with the desk's clock moved by hand; every number below is worked out by hand from the
/// Danish calendar (Mon–Thu 08–12, 13–16; Fri 08–12, 13–15; Danish holidays).
@Suite(.serialized) struct AttainmentReportTests {
    /// The customer's cases and people, and the report's query over March and April in Copenhagen.
    struct Spring {
        let organization: String
        let anna: (id: String, token: String)
        let bo: (id: String, token: String)
        /// Case ids by letter: A high, breached across Easter; B critical, met; C medium, paused, met;
        /// D a question (no target); E low, out of scope; F critical, running; G critical, breached while running.
        let cases: [String: String]
        static let query = "/api/v1/reports/attainment?from=2026-03-01&to=2026-05-01&zone=Europe/Copenhagen"
    }

    static func event(_ desk: DeskHarness, _ id: String, _ body: String, token: String) async throws {
        let reply = try await desk.call(.POST, "/api/v1/cases/\(id)/events", token: token, body: body)
        #expect(reply.status == .created, "\(reply.json)")
    }

    static func log(_ desk: DeskHarness, _ priority: String, token: String) async throws -> String {
        let reply = try await desk.call(.POST, "/api/v1/cases", token: token, body: DeskHarness.plmCase(priority: priority))
        #expect(reply.status == .created, "\(reply.json)")
        return try #require(reply.string["id"])
    }

    /// Lives the spring; leaves the desk's clock at Tuesday 7 April 2026, 13:30 in Copenhagen.
    static func spring(_ desk: DeskHarness) async throws -> Spring {
        let org = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "DK")
        let anna = try await desk.person(in: org, email: "anna@dk.test", role: "user")
        let bo = try await desk.person(in: org, email: "bo@dk.test", role: "authorized-contact")
        var cases: [String: String] = [:]
        // Monday 2 March (CET): C medium at 09:00, paused 10:00–13:00, answered 14:00 — 2 business hours used.
        desk.set("2026-03-02T08:00:00Z")
        cases["C"] = try await log(desk, "medium", token: anna.token)
        desk.set("2026-03-02T09:00:00Z")
        cases["B"] = try await log(desk, "critical", token: anna.token)
        let current = try await desk.call(.GET, "/api/v1/cases/\(cases["C"]!)", token: desk.adminToken)
        let pause = try await desk.call(.POST, "/api/v1/cases/\(cases["C"]!)/events", token: desk.adminToken,
                                        body: #"{"kind":"status-change","value":"awaiting-customer"}"#,
                                        headers: [("If-Match", try #require(current.headers.first(name: .eTag)))])
        #expect(pause.status == .created, "\(pause.json)")
        // B critical at 10:00, answered at 11:00: 1 business hour of its 2.
        desk.set("2026-03-02T10:00:00Z")
        try await event(desk, cases["B"]!, #"{"kind":"public-reply","body":"Looking at it"}"#, token: desk.adminToken)
        desk.set("2026-03-02T12:00:00Z")
        try await event(desk, cases["C"]!, #"{"kind":"customer-message","body":"Here is the log"}"#, token: anna.token)
        desk.set("2026-03-02T13:00:00Z")
        try await event(desk, cases["C"]!, #"{"kind":"public-reply","body":"Fixed in SP3"}"#, token: desk.adminToken)
        cases["D"] = try await log(desk, "question", token: anna.token)
        cases["E"] = try await log(desk, "low", token: anna.token)
        desk.set("2026-03-02T13:30:00Z")
        try await event(desk, cases["E"]!, #"{"kind":"out-of-scope","body":"Setup of templates"}"#, token: desk.adminToken)
        // Wednesday 1 April (CEST) 14:00: A high, 4 business hours — 2 that afternoon, then Maundy
        // Thursday, Good Friday, the weekend and Easter Monday are Danish holidays: due Tuesday 7 April
        // 10:00, answered 11:00, 5 business hours used.
        desk.set("2026-04-01T12:00:00Z")
        cases["A"] = try await log(desk, "high", token: anna.token)
        // Tuesday 7 April: G critical at 08:00 (due 10:00, never answered), F critical at 13:00 (due 15:00).
        desk.set("2026-04-07T06:00:00Z")
        cases["G"] = try await log(desk, "critical", token: bo.token)
        desk.set("2026-04-07T09:00:00Z")
        try await event(desk, cases["A"]!, #"{"kind":"public-reply","body":"Workaround attached"}"#, token: desk.adminToken)
        desk.set("2026-04-07T11:00:00Z")
        cases["F"] = try await log(desk, "critical", token: bo.token)
        desk.set("2026-04-07T11:30:00Z")
        return Spring(organization: org, anna: anna, bo: bo, cases: cases)
    }

    static func rows(_ reply: DeskHarness.Reply, _ key: String = "rows") -> [[String: Any]] { reply[key] as? [[String: Any]] ?? [] }

    /// A row's counts (the attainment percentage, a number too, left out).
    static func counts(_ row: [String: Any]) -> [String: Int] {
        row.filter { $0.key != "attainment" }.compactMapValues { $0 as? Int }
    }

    static func breaches(_ row: [String: Any]) -> [String] {
        (row["breaches"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }.map { $0.lowercased() }
    }

    @Test(arguments: TestDatabase.all) func everyClockOfThePeriodIsCountedAsItStands(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-01T00:00:00Z", on: database) { desk in
            let spring = try await Self.spring(desk)
            let id = { (letter: String) in spring.cases[letter]!.lowercased() }
            let report = try await desk.call(.GET, Spring.query, token: desk.adminToken)
            #expect(report.status == .ok, "\(report.json)")
            #expect(report.string["from"] == "2026-02-28T23:00:00Z")
            #expect(report.string["to"] == "2026-04-30T22:00:00Z")
            #expect(report.string["asOf"] == "2026-04-07T11:30:00Z")
            let total = try #require(Self.rows(report, "totals").first)
            #expect(Self.rows(report, "totals").count == 1, "PLM Group has one metric")
            #expect(total["metric"] as? String == "initial-response")
            #expect(Self.counts(total) == ["withTarget": 5, "met": 2, "breached": 1, "running": 1, "breachedRunning": 1, "notStarted": 0,
                                          "cancelled": 0, "outOfScope": 1, "withoutTarget": 1, "moreBreaches": 0])
            #expect(total["attainment"] as? Double == 50.0)
            // Business seconds used by B (1 h), C (2 h) and A (5 h): nearest-rank median 2 h, p90 and max 5 h.
            let time = try #require((total["time"] as? [[String: Any]])?.first)
            #expect(time["measure"] as? String == "business")
            #expect(Self.counts(time) == ["count": 3, "median": 7200, "p90": 18000, "max": 18000])
            #expect(Self.breaches(total) == [id("A"), id("G")])
            // Every breach leads to the deadline explanation the case shows.
            let link = try #require((total["breaches"] as? [[String: Any]])?.first?["explanation"] as? String)
            let explanation = try await desk.call(.GET, link, token: desk.adminToken)
            #expect(explanation.status == .ok)
            #expect(explanation.string["state"] == "breached")
        }
    }

    @Test(arguments: TestDatabase.all) func rowsPerPriorityAddUpToTheTotal(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-01T00:00:00Z", on: database) { desk in
            let spring = try await Self.spring(desk)
            let report = try await desk.call(.GET, Spring.query + "&by=priority", token: desk.adminToken)
            let rows = Self.rows(report)
            #expect(rows.map { ($0["cuts"] as? [String: String])?["priority"] ?? "" } == ["critical", "high", "low", "medium", "question"])
            let critical = rows[0], high = rows[1], low = rows[2], medium = rows[3], question = rows[4]
            #expect(Self.counts(critical)["withTarget"] == 3 && Self.counts(critical)["met"] == 1 && Self.counts(critical)["running"] == 1
                    && Self.counts(critical)["breachedRunning"] == 1)
            #expect(critical["attainment"] as? Double == 50.0)
            #expect(Self.counts(high)["breached"] == 1 && high["attainment"] as? Double == 0.0)
            #expect(Self.counts(low)["outOfScope"] == 1 && Self.counts(low)["withTarget"] == 0 && low["attainment"] == nil)
            #expect(Self.counts(medium)["met"] == 1 && medium["attainment"] as? Double == 100.0)
            #expect(Self.counts(question)["withoutTarget"] == 1 && Self.counts(question)["withTarget"] == 0)
            for name in ["withTarget", "met", "breached", "running", "breachedRunning", "outOfScope", "withoutTarget"] {
                #expect(rows.map { Self.counts($0)[name] ?? 0 }.reduce(0, +) == Self.counts(Self.rows(report, "totals")[0])[name], "\(name)")
            }
            // A named period: the second quarter in Copenhagen holds A, F and G.
            let quarter = try await desk.call(.GET, "/api/v1/reports/attainment?period=2026-Q2&zone=Europe/Copenhagen&by=customer", token: desk.adminToken)
            let row = try #require(Self.rows(quarter).first)
            #expect(Self.counts(row)["withTarget"] == 3 && Self.counts(row)["breached"] == 1 && Self.counts(row)["running"] == 1)
            #expect((row["cuts"] as? [String: String])?["customer"]?.lowercased() == spring.organization.lowercased())
            #expect((quarter["names"] as? [String: [String: String]])?["customer"]?.values.first == "DK Inc")
            // One value of a cut: only high.
            let high2 = try await desk.call(.GET, Spring.query + "&priority=high", token: desk.adminToken)
            #expect(Self.counts(Self.rows(high2, "totals")[0])["breached"] == 1 && Self.counts(Self.rows(high2, "totals")[0])["withTarget"] == 1)
        }
    }

    /// Every cut over the spring: the values a case stands at (the policy's provider, the customer's
    /// plan and region, the team it went to, its channel…), and rows that always add up to the total.
    @Test func everyCutNamesWhereTheCasesStandAndAddsUp() async throws {
        try await DeskHarness.run(at: "2026-03-01T00:00:00Z") { desk in
            let spring = try await Self.spring(desk)
            let expected: [String: Set<String>] = [
                "provider": ["PLM Group"], "policy": ["plm-group"], "customer": [spring.organization.uppercased()], "plan": ["premium"],
                "region": ["denmark"], "channel": ["email"], "tier": ["1"], "team": ["denmark"], "agent": [""],
            ]
            for (cut, values) in expected {
                let report = try await desk.call(.GET, Spring.query + "&by=\(cut)", token: desk.adminToken)
                #expect(report.status == .ok, "\(cut): \(report.json)")
                let rows = Self.rows(report)
                #expect(Set(rows.map { ($0["cuts"] as? [String: String])?[cut]?.uppercased() ?? "" }) == Set(values.map { $0.uppercased() }), "\(cut): \(rows)")
                let total = Self.counts(Self.rows(report, "totals")[0])
                for name in ["withTarget", "met", "breached", "running", "breachedRunning", "outOfScope", "withoutTarget"] {
                    #expect(rows.map { Self.counts($0)[name] ?? 0 }.reduce(0, +) == total[name], "\(cut) \(name)")
                }
            }
            // Two cuts at once, in the order asked.
            let two = try await desk.call(.GET, Spring.query + "&by=channel,priority", token: desk.adminToken)
            #expect((two["by"] as? [String]) == ["channel", "priority"])
            #expect(Self.rows(two).count == 5)
        }
    }

    /// Pro Plus's OLAs — Tier 2 picks up an escalated case within 4 business hours, Tier 3 within 8,
    /// on the 09:00–17:00 Chicago calendar of Tiers 2 and 3 — reported apart from the contract's
    /// targets, each counted on the team that had to pick the case up; a customer sees none.
    @Test(arguments: TestDatabase.all) func olasAreReportedApartOnTheTeamThatHadToPickUp(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-04-01T00:00:00Z", on: database) { desk in
            let prairie = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "PRA")
            _ = try await desk.person(in: prairie, email: "paul@pra.test", role: "user")
            let boss = try await desk.person(in: prairie, email: "boss@pra.test", role: "authorized-contact")
            _ = try await WorkDeskTests.staff(desk, "sam@provider.test", role: "agent", tier: 2)
            func line(_ id: String, _ logged: String, _ events: String) -> String {
                #"{"externalId":"\#(id)","organization":"PRA Inc","requester":"paul@pra.test","channel":"phone","title":"Case \#(id)","description":"d","loggedAt":"\#(logged)","events":[\#(events)]}"#
            }
            let lines = [
                // Escalated Fri 6 Mar 16:00 CST, picked up Mon 9 Mar 10:00 CDT (DST began on the 8th): 1 h + 1 h = 7,200 s, met.
                line("a", "2026-03-06T10:00:00-06:00", #"{"at":"2026-03-06T22:00:00Z","kind":"escalated","value":"tier-2"},{"at":"2026-03-09T15:00:00Z","kind":"assigned","value":"sam@provider.test"}"#),
                // Escalated Mon 9 Mar 09:00 CDT, picked up Tue 10:00: 8 h + 1 h = 32,400 s, breached (due Mon 13:00).
                line("b", "2026-03-09T08:00:00-05:00", #"{"at":"2026-03-09T14:00:00Z","kind":"escalated","value":"tier-2"},{"at":"2026-03-10T15:00:00Z","kind":"assigned","value":"sam@provider.test"}"#),
                // Escalated to Tier 3 Tue 10 Mar 10:00 CDT and never picked up: due Wed 10:00, breached while running.
                line("c", "2026-03-10T09:00:00-05:00", #"{"at":"2026-03-10T15:00:00Z","kind":"escalated","value":"tier-3"}"#),
                // Escalated Tue 31 Mar 14:00 CDT, not picked up at the report (1 April 00:00Z = 31 March 19:00 CDT): due Wed 10:00, running.
                line("d", "2026-03-31T13:00:00-05:00", #"{"at":"2026-03-31T19:00:00Z","kind":"escalated","value":"tier-2"}"#),
            ].joined(separator: "\n")
            let outcomes = try await CaseImportTests.importing(lines, into: desk)
            #expect(outcomes.count == 4 && outcomes.values.allSatisfy { if case .created = $0 { true } else { false } }, "\(outcomes)")
            let query = "/api/v1/reports/attainment?period=2026-03&zone=America%2FChicago"
            let report = try await desk.call(.GET, query + "&by=team", token: desk.adminToken)
            #expect(report.status == .ok, "\(report.json)")
            let olas = Self.rows(report).filter { $0["agreement"] as? String == "ola" }
            let tier2 = try #require(olas.first { $0["metric"] as? String == "tier-2-pickup" })
            #expect(tier2["cuts"] as? [String: String] == ["team": "tier-2"])
            #expect(Self.counts(tier2).filter { $0.value != 0 } == ["withTarget": 3, "met": 1, "breached": 1, "running": 1], "\(tier2)")
            #expect(tier2["attainment"] as? Double == 50)
            #expect((tier2["time"] as? [[String: Any]])?.first.map(Self.counts) == ["count": 2, "median": 7_200, "p90": 32_400, "max": 32_400])
            #expect((tier2["time"] as? [[String: Any]])?.first?["measure"] as? String == "business")
            let tier3 = try #require(olas.first { $0["metric"] as? String == "tier-3-pickup" })
            #expect(tier3["cuts"] as? [String: String] == ["team": "tier-3"])
            #expect(Self.counts(tier3).filter { $0.value != 0 } == ["withTarget": 1, "breachedRunning": 1], "\(tier3)")
            #expect(Self.breaches(tier3).count == 1)
            // The contract's rows count the four cases' first responses apart, never the OLAs.
            let totals = Self.rows(report, "totals")
            #expect(Set(totals.map { "\($0["metric"] ?? "")/\($0["agreement"] ?? "")" }) == ["initial-response/contract", "tier-2-pickup/ola", "tier-3-pickup/ola"])
            #expect(totals.first { $0["agreement"] as? String == "contract" }.map(Self.counts)?["withTarget"] == 4)
            // An OLA is a metric to filter by.
            let only = try await desk.call(.GET, query + "&metric=tier-3-pickup", token: desk.adminToken)
            #expect(Self.rows(only, "totals").map { $0["metric"] as? String ?? "" } == ["tier-3-pickup"], "\(only.json)")
            // The customer's report holds the contract's targets only.
            let theirs = try await desk.call(.GET, query, token: boss.token)
            #expect(theirs.status == .ok && Self.rows(theirs, "totals").allSatisfy { $0["agreement"] as? String == "contract" }, "\(theirs.json)")
            // The web desk tells an OLA's rows apart.
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let console = try await WebClient.signedIn(desk, manager.id, "mia@provider.test")
            let page = try await console.get("/console/reports/attainment?period=2026-03&zone=America%2FChicago&by=team")
            #expect(page.text.contains("tier-2-pickup (OLA) 3 1 1 1 0 50.0 %"), "\(page.text)")
            // The assignment came across from history: the case is Sam's since Monday's pickup, and an export carries it.
            let exported = try await CaseImportTests.export(desk)
            #expect(exported.contains(#"{"at":"2026-03-09T15:00:00Z","kind":"assigned","value":"sam@provider.test"}"#), "\(exported)")
        }
    }

    @Test(arguments: TestDatabase.all) func aCustomerSeesOnlyWhatThePolicyLetsThemSee(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-01T00:00:00Z", on: database) { desk in
            let spring = try await Self.spring(desk)
            // PLM Group's requester-only visibility: Bo, an authorized contact, counts his own F and G only.
            let bo = try await desk.call(.GET, Spring.query, token: spring.bo.token)
            #expect(bo.status == .ok, "\(bo.json)")
            let total = try #require(Self.rows(bo, "totals").first)
            #expect(Self.counts(total)["withTarget"] == 2 && Self.counts(total)["running"] == 1 && Self.counts(total)["breachedRunning"] == 1)
            #expect(Self.counts(total)["met"] == 0 && Self.counts(total)["withoutTarget"] == 0)
            #expect(Self.breaches(total) == [spring.cases["G"]!.lowercased()])
            let byAgent = try await desk.call(.GET, Spring.query + "&by=agent", token: spring.bo.token)
            #expect(byAgent.status == .forbidden)
            #expect(byAgent.string["field"] == "by")
            // A user is no authorized contact: no report.
            let anna = try await desk.call(.GET, Spring.query, token: spring.anna.token)
            #expect(anna.status == .forbidden)
            // Another customer's contact counts nothing of this one.
            let other = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "OT")
            let stranger = try await desk.person(in: other, email: "eve@ot.test", role: "authorized-contact")
            let theirs = try await desk.call(.GET, Spring.query + "&customer=\(spring.organization)", token: stranger.token)
            #expect(theirs.status == .ok)
            #expect(Self.rows(theirs).isEmpty && Self.rows(theirs, "totals").isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all) func aNewPolicyVersionNeverRewritesAPastReport(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-01T00:00:00Z", on: database) { desk in
            let spring = try await Self.spring(desk)
            let before = try await desk.download(Spring.query + "&by=priority&format=csv", token: desk.adminToken)
            // Premium's high priority relaxed from 4 to 40 business hours, published.
            let yaml = try Presets.yaml("plm-group").replacingOccurrences(of: "version: \"2025.1\"", with: "version: \"2026.1\"")
                .replacingOccurrences(of: "premium: {critical: 2 business hours, high: 4 business hours", with: "premium: {critical: 2 business hours, high: 40 business hours")
            let published = try await desk.call(.POST, "/api/v1/policies?publish=true", token: desk.adminToken, bytes: Data(yaml.utf8),
                                                headers: [("Content-Type", "application/yaml")])
            #expect(published.status == .created, "\(published.json)")
            // A's clocks are derived again by a new event, under the version it was logged under.
            try await Self.event(desk, spring.cases["A"]!, #"{"kind":"internal-note","body":"Reviewed"}"#, token: desk.adminToken)
            let after = try await desk.download(Spring.query + "&by=priority&format=csv", token: desk.adminToken)
            #expect(before.status == .ok)
            #expect(String(decoding: after.body, as: UTF8.self) == String(decoding: before.body, as: UTF8.self))
            let csv = String(decoding: before.body, as: UTF8.self)
            #expect(before.headers.first(name: "Content-Type")?.hasPrefix("text/csv") == true)
            #expect(csv.hasPrefix("priority,metric,agreement,with_target,met,breached,running,breached_running,not_started,cancelled,out_of_scope,without_target,attainment_percent,"))
            #expect(csv.contains("\r\nhigh,initial-response,contract,1,0,1,0,0,0,0,0,0,0.0,1,18000,18000,18000,0,,,,DK-2026-000005\r\n"), "\(csv)")
            #expect(csv.contains("\r\n(total),initial-response,contract,5,2,1,1,1,0,0,1,1,50.0,3,7200,18000,18000,0,,,,DK-2026-000005 DK-2026-000006\r\n"), "\(csv)")
        }
    }

    /// A desk upgraded from before clocks kept the time they used measures its decided clocks once,
    /// as it starts: the report's times are the same as if they had been kept all along.
    @Test(arguments: TestDatabase.all) func clocksDecidedBeforeTheUpgradeAreMeasuredAtStart(_ database: TestDatabase) async throws {
        let provisioned = try await database.provision()
        let first = try await DeskHarness.start(at: "2026-03-01T00:00:00Z", on: database, database: provisioned)
        let measured: String, blank: String
        do {
            _ = try await Self.spring(first)
            measured = String(decoding: try await first.download(Spring.query + "&format=csv", token: first.adminToken).body, as: UTF8.self)
            try await (first.app.db as! any SQLDatabase).raw("UPDATE clocks SET used = NULL, measure = NULL").run()
            blank = String(decoding: try await first.download(Spring.query + "&format=csv", token: first.adminToken).body, as: UTF8.self)
        } catch {
            try? await first.stop()
            throw error
        }
        let shared = TestDatabase.Provisioned(choice: provisioned.choice, cleanUp: {})
        let second: DeskHarness
        do {
            second = try await DeskHarness.start(at: "2026-04-07T11:30:00Z", on: database, database: shared)
        } catch {
            try? await first.stop()
            throw error
        }
        let again = String(decoding: try await second.download(Spring.query + "&format=csv", token: first.adminToken).body, as: UTF8.self)
        #expect(measured.contains(",3,7200,18000,18000,"), "\(measured)")
        #expect(!blank.contains(",3,7200,18000,18000,"), "the old rows had no times: \(blank)")
        #expect(again == measured)
        first.checkExchangesAgainstOpenAPI()
        second.checkExchangesAgainstOpenAPI()
        try await second.stop()
        try await first.stop()
    }

    /// A row lists its first 100 breached cases by number and counts the rest; the CSV lists them all.
    @Test func aRowListsAHundredBreachesAndCountsTheRest() async throws {
        try await DeskHarness.run(at: "2026-03-10T00:00:00Z") { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "BIG")
            _ = try await desk.person(in: org, email: "ops@big.test", role: "user")
            // 130 P1 cases (1 calendar hour) of 2 March, never answered: breached while running.
            let lines = (1...130).map { index in
                #"{"externalId":"p1-\#(index)","organization":"BIG Inc","requester":"ops@big.test","priority":"p1","channel":"phone","title":"Down \#(index)","description":"d","loggedAt":"2026-03-02T10:00:00Z"}"#
            }.joined(separator: "\n")
            _ = try await CaseImportTests.importing(lines, into: desk)
            let report = try await desk.call(.GET, "/api/v1/reports/attainment?period=2026-03&metric=initial-response", token: desk.adminToken)
            let total = try #require(Self.rows(report, "totals").first)
            #expect(Self.counts(total)["breachedRunning"] == 130 && Self.counts(total)["moreBreaches"] == 30)
            let listed = (total["breaches"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
            #expect(listed.count == 100 && listed.first == "BIG-2026-000001" && listed.last == "BIG-2026-000100")
            let csv = String(decoding: try await desk.download("/api/v1/reports/attainment?period=2026-03&metric=initial-response&format=csv",
                                                               token: desk.adminToken).body, as: UTF8.self)
            #expect(csv.contains("BIG-2026-000130"))
        }
    }

    @Test func badQueriesAreRefusedNamingTheField() async throws {
        try await DeskHarness.run(at: "2026-03-01T00:00:00Z") { desk in
            let cases: [(String, String)] = [
                ("period=2026-Q5", "period"), ("period=26-Q1", "period"), ("from=2026-03-01", "to"), ("to=2026-03-01", "from"),
                ("from=2026-04-01&to=2026-03-01", "to"), ("from=yesterday&to=2026-03-01", "from"), ("from=2010-01-01&to=2026-01-01", "to"),
                ("period=2026&from=2026-01-01", "period"), ("period=2026&zone=Mars/Olympus", "zone"), ("period=2026&by=colour", "by"),
                ("period=2026&tier=0", "tier"), ("period=2026&tier=x", "tier"), ("period=2026&customer=acme", "customer"),
                ("period=2026&agent=me", "agent"), ("period=2026&priority=P9", "priority"), ("period=2026&policy=nope", "policy"),
                ("period=2026&metric=uptime", "metric"), ("period=2026&format=xml", "format"), ("period=2026&colour=red", "colour"),
            ]
            for (query, field) in cases {
                let reply = try await desk.call(.GET, "/api/v1/reports/attainment?\(query)", token: desk.adminToken)
                #expect(reply.status == .badRequest, "\(query): \(reply.json)")
                #expect(reply.string["field"] == field, "\(query): \(reply.json)")
            }
            let anonymous = try await desk.call(.GET, "/api/v1/reports/attainment?period=2026", token: nil)
            #expect(anonymous.status == .unauthorized)
        }
    }
}
