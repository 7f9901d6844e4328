import AccordCore
@testable import AccordStore
import Foundation
import SQLKit
import Testing
import Vapor

/// Routing, queues, take-next, escalation, OLAs, priority senders and account roles, driven over
/// HTTP against a real desk on SQLite and PostgreSQL.
@Suite struct WorkDeskTests {
    /// Creates provider staff with a token.
    static func staff(_ desk: DeskHarness, _ email: String, role: String = "agent", tier: Int? = 1) async throws -> (id: String, token: String) {
        let tierField = tier.map { #","tier":\#($0)"# } ?? ""
        let created = try await desk.call(.POST, "/api/v1/staff", token: desk.adminToken,
                                          body: #"{"name":"\#(email)","email":"\#(email)","role":"\#(role)"\#(tierField)}"#)
        #expect(created.status == .created, "\(created.json)")
        let id = try #require(created.string["id"])
        let token = try await desk.call(.POST, "/api/v1/people/\(id)/tokens", token: desk.adminToken)
        return (id, try #require(token.string["token"]))
    }

    static func join(_ desk: DeskHarness, _ queue: String, _ person: String, body: String = "{}") async throws -> DeskHarness.Reply {
        try await desk.call(.PUT, "/api/v1/queues/\(queue)/members/\(person)", token: desk.adminToken, body: body)
    }

    static func work(_ reply: DeskHarness.Reply) -> [String: Any] { reply["work"] as? [String: Any] ?? [:] }

    // MARK: Routing at intake

    /// Every preset's queue order is read off an index: the first waiting case is found without
    /// sorting the team's queue (SQLite's plan of the store's own statement shows no temporary B-tree).
    @Test func everyPresetsQueueOrderHasItsIndex() async throws {
        try await DeskHarness.run(at: "2026-11-24T09:00:00Z") { desk in
            let sql = try #require(desk.app.db as? any SQLDatabase)
            for (id, team) in [("pro-plus", "tier-1"), ("plex", "americas"), ("plixer", "support"), ("plm-group", "denmark")] {
                let order = try Presets.policy(id).routing.queueOrder
                let plan = try await sql.raw("""
                    EXPLAIN QUERY PLAN SELECT id FROM \(unsafeRaw: DeskStore.waitingSource(order, sqlite: true)) WHERE policy_id = \(bind: id)
                      AND team_id = \(bind: team) AND tier = 1 AND assignee_id IS NULL AND status IN ('new', 'open')
                      ORDER BY \(unsafeRaw: DeskStore.orderColumns(order)) LIMIT 1
                    """).all().map { try $0.decode(column: "detail", as: String.self) }
                #expect(plan.contains { $0.contains("USING INDEX \(DeskStore.waitingIndexName(order))") } && !plan.contains { $0.contains("TEMP B-TREE") },
                        "\(id): \(plan)")
            }
            #expect(Set(try [("pro-plus"), ("plex"), ("plixer"), ("plm-group")].map { DeskStore.waitingIndexName(try Presets.policy($0).routing.queueOrder) })
                    == ["cases_waiting_q_a", "cases_waiting_pr_d_a", "cases_waiting_p_d_a", "cases_waiting"])
        }
    }

    @Test(arguments: TestDatabase.all) func plmGroupMailboxesPickTheRegionTeamAndCalendar(_ database: TestDatabase) async throws {
        // Tuesday 24 November 2026, 09:00 UTC: 10:00 in Copenhagen and Oslo.
        try await DeskHarness.run(at: "2026-11-24T09:00:00Z", on: database) { desk in
            let org = try await desk.organization("plm-group", plan: "standard", region: "iceland", prefix: "ICE")
            let anna = try await desk.person(in: org, email: "anna@ice.test", role: "user")
            // Iceland's customer writing to Norway's address stays in Iceland, with Norway's team.
            let norway = try await desk.call(.POST, "/api/v1/cases", token: anna.token,
                                             body: DeskHarness.plmCase(replacing: ["mailbox": "support@plmgroup.no"]))
            #expect(norway.status == .created, "\(norway.json)")
            #expect(norway["region"] as? String == "iceland" && Self.work(norway)["team"] as? String == "norway")
            #expect(Self.work(norway)["language"] as? String == "is" && Self.work(norway)["mailbox"] as? String == "support@plmgroup.no")
            // Writing to Denmark's address: Denmark's region, team and split-shift calendar (4 business hours of 08-12, 13-16).
            let denmark = try await desk.call(.POST, "/api/v1/cases", token: anna.token,
                                              body: DeskHarness.plmCase(replacing: ["mailbox": "support@plmgroup.dk"]))
            #expect(denmark["region"] as? String == "denmark" && Self.work(denmark)["team"] as? String == "denmark")
            #expect(desk.clock(denmark)?["due"] as? String == "2026-11-24T14:00:00Z", "10:00 + 2 h to 12:00, lunch, 13:00 + 2 h = 15:00 CET")
            // The routing reasons are for staff; the customer sees that the case was logged.
            #expect((denmark["events"] as? [[String: Any]] ?? []).map { $0["kind"] as? String } == ["logged"])
            let agent = try await Self.staff(desk, "agent@provider.test")
            let asStaff = try await desk.call(.GET, "/api/v1/cases/\(try #require(denmark.string["id"]))", token: agent.token)
            let events = asStaff["events"] as? [[String: Any]] ?? []
            #expect(events.map { $0["kind"] as? String } == ["logged", "routed"])
            #expect((events.last?["body"] as? String)?.contains("sent to support@plmgroup.dk: region denmark") == true)
            // An unknown mailbox is refused, naming the field.
            let unknown = try await desk.call(.POST, "/api/v1/cases", token: anna.token,
                                              body: DeskHarness.plmCase(replacing: ["mailbox": "help@plmgroup.com"]))
            #expect(unknown.status == .unprocessableEntity && unknown.string["field"] == "mailbox")
            let badLanguage = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(replacing: ["language": "English"]))
            #expect(badLanguage.status == .unprocessableEntity, "\(badLanguage.json)")
            desk.checkExchangesAgainstOpenAPI()
        }
    }

    // MARK: Priority senders, queue order and take-next

    @Test(arguments: TestDatabase.all) func proPlusPrioritySendersQueueOrderAndTakeNext(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-24T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "PRO")
            let primary = try await desk.person(in: org, email: "pat@acme.test", role: "user")
            let other = try await desk.person(in: org, email: "olly@acme.test", role: "user")
            let outsider = try await desk.person(in: org, email: "sam@elsewhere.test", role: "user")
            // Only the designated primary contact (or a manager) maintains the list.
            let before = try await desk.call(.PUT, "/api/v1/organizations/\(org)/priority-senders", token: primary.token, body: #"{"entries":["acme.test"]}"#)
            #expect(before.status == .forbidden, "\(before.json)")
            let named = try await desk.call(.PUT, "/api/v1/organizations/\(org)/roles/primary-contact", token: desk.adminToken, body: #"{"person":"\#(primary.id)"}"#)
            #expect(named.status == .noContent, "\(named.json)")
            let bad = try await desk.call(.PUT, "/api/v1/organizations/\(org)/priority-senders", token: primary.token,
                                          body: #"{"entries":["acme.test","not an address"]}"#)
            #expect(bad.status == .unprocessableEntity && ((bad["errors"] as? [[String: Any]])?.first?["field"] as? String) == "entries[1]")
            let set = try await desk.call(.PUT, "/api/v1/organizations/\(org)/priority-senders", token: primary.token,
                                          body: #"{"entries":["ACME.test","vip@elsewhere.test"]}"#)
            #expect(set.status == .ok && set["entries"] as? [String] == ["acme.test", "vip@elsewhere.test"])
            let denied = try await desk.call(.PUT, "/api/v1/organizations/\(org)/priority-senders", token: other.token, body: #"{"entries":[]}"#)
            #expect(denied.status == .forbidden)
            let history = try await desk.list("/api/v1/organizations/\(org)/history", token: desk.adminToken)
            #expect(history.contains { $0["kind"] as? String == "priority-senders" && ($0["detail"] as? String)?.contains("added acme.test, vip@elsewhere.test") == true })

            // Three cases: the outsider's first (standard queue), then two from the listed domain.
            var numbers: [String] = []
            for (person, minute) in [(outsider, "00"), (other, "01"), (primary, "02")] {
                desk.set("2026-11-24T15:\(minute):00Z")
                let logged = try await desk.call(.POST, "/api/v1/cases", token: person.token, body: #"{"title":"Help","description":"Broken","channel":"email"}"#)
                #expect(logged.status == .created, "\(logged.json)")
                numbers.append(try #require(logged.string["number"]))
                #expect(Self.work(logged)["team"] as? String == "tier-1")
                #expect(Self.work(logged)["queue"] as? String == (person.id == outsider.id ? "standard" : "priority"))
            }
            let queue = try await desk.call(.GET, "/api/v1/queues/pro-plus.tier-1", token: desk.adminToken)
            let positions = queue["positions"] as? [[String: Any]] ?? []
            #expect(positions.map { $0["number"] as? String } == [numbers[1], numbers[2], numbers[0]], "priority queue first, then in order received")
            #expect(positions.first?["reason"] as? String == "first: priority queue; logged 2026-11-24T15:01:00Z")
            #expect(positions.last?["reason"] as? String == "after \(numbers[2]): standard queue comes after priority queue")
            #expect(queue["order"] as? [String] == ["queue", "arrival"])

            // An agent outside the team gets a clear refusal; members take the cases in queue order.
            let agent = try await Self.staff(desk, "alex@provider.test")
            let lonely = try await desk.call(.POST, "/api/v1/take-next", token: agent.token)
            #expect(lonely.status == .conflict, "\(lonely.json)")
            #expect(try await Self.join(desk, "pro-plus.tier-1", agent.id, body: #"{"lead":true,"languages":["en"]}"#).status == .ok)
            let tierTwo = try await Self.staff(desk, "tess@provider.test", tier: 2)
            let wrongTier = try await Self.join(desk, "pro-plus.tier-1", tierTwo.id)
            #expect(wrongTier.status == .unprocessableEntity && wrongTier.string["detail"] == "tess@provider.test works tier 2; Tier 1 is tier 1")
            var taken: [String] = []
            for _ in 0..<3 {
                let next = try await desk.call(.POST, "/api/v1/take-next", token: agent.token, body: #"{"queue":"pro-plus.tier-1"}"#)
                #expect(next.status == .ok, "\(next.json)")
                #expect(Self.work(next)["assignee"] as? String == agent.id)
                #expect((next["events"] as? [[String: Any]])?.last?["kind"] as? String == "assigned")
                taken.append(try #require(next.string["number"]))
            }
            #expect(taken == positions.map { $0["number"] as? String ?? "" }, "take-next follows the queue's order exactly")
            #expect(try await desk.call(.POST, "/api/v1/take-next", token: agent.token).status == .noContent)
            let empty = try await desk.call(.GET, "/api/v1/queues/pro-plus.tier-1", token: desk.adminToken)
            #expect((empty["positions"] as? [Any])?.isEmpty == true && (empty["members"] as? [Any])?.count == 1)
            let customer = try await desk.call(.GET, "/api/v1/queues/pro-plus.tier-1", token: primary.token)
            #expect(customer.status == .forbidden)
            #expect(try await desk.call(.GET, "/api/v1/queues/pro-plus.nowhere", token: desk.adminToken).status == .notFound)
            desk.checkExchangesAgainstOpenAPI()
        }
    }

    // MARK: Escalation and OLAs

    @Test(arguments: TestDatabase.all) func escalationNeedsAReasonJoinsTheTiersQueueAndRunsItsOLA(_ database: TestDatabase) async throws {
        // Friday 20 November 2026, 16:00 CST (22:00 UTC): Tier 2 works 09-17, so one hour today and three on Monday.
        try await DeskHarness.run(at: "2026-11-20T21:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "ESC")
            let user = try await desk.person(in: org, email: "uma@esc.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Help","description":"Broken","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let agent = try await Self.staff(desk, "ted@provider.test")
            desk.set("2026-11-20T22:00:00Z")
            let noReason = try await desk.call(.POST, "/api/v1/cases/\(id)/escalations", token: agent.token, body: #"{"tier":2,"reason":"  "}"#)
            #expect(noReason.status == .unprocessableEntity && noReason.string["field"] == "reason")
            let noTier = try await desk.call(.POST, "/api/v1/cases/\(id)/escalations", token: agent.token, body: #"{"tier":4,"reason":"deep"}"#)
            #expect(noTier.status == .unprocessableEntity && noTier.string["detail"] == "Pro Plus Support Plan has no tier-4 team; tiers: 1, 2, 3")
            let byCustomer = try await desk.call(.POST, "/api/v1/cases/\(id)/escalations", token: user.token, body: #"{"tier":2,"reason":"hurry"}"#)
            #expect(byCustomer.status == .forbidden)
            let escalated = try await desk.call(.POST, "/api/v1/cases/\(id)/escalations", token: agent.token, body: #"{"tier":2,"reason":"needs a specialist"}"#)
            #expect(escalated.status == .created, "\(escalated.json)")
            #expect(Self.work(escalated)["team"] as? String == "tier-2" && Self.work(escalated)["tier"] as? Int == 2)
            let last = (escalated["events"] as? [[String: Any]])?.last
            #expect(last?["kind"] as? String == "escalated")
            #expect((last?["body"] as? String)?.hasPrefix("tier 1 → tier 2, Tier 2, scheduled from 2026-11-20T22:00:00Z: needs a specialist") == true)
            let olas = escalated["olas"] as? [[String: Any]] ?? []
            #expect(olas.count == 1 && olas.first?["ola"] as? String == "tier-2-pickup")
            #expect(olas.first?["due"] as? String == "2026-11-23T18:00:00Z", "Monday 12:00 CST")
            #expect(desk.clock(escalated)?["due"] as? String == desk.clock(logged)?["due"] as? String, "OLAs never move the contract's clocks")
            let again = try await desk.call(.POST, "/api/v1/cases/\(id)/escalations", token: agent.token, body: #"{"tier":2,"reason":"again"}"#)
            #expect(again.status == .unprocessableEntity, "a tier-2 case escalates upwards only")

            // A tier-1 agent cannot take it; a tier-2 member does, which meets the OLA.
            #expect(try await Self.join(desk, "pro-plus.tier-1", agent.id).status == .ok)
            #expect(try await desk.call(.POST, "/api/v1/take-next", token: agent.token).status == .noContent)
            let specialist = try await Self.staff(desk, "sue@provider.test", tier: 2)
            #expect(try await Self.join(desk, "pro-plus.tier-2", specialist.id).status == .ok)
            desk.set("2026-11-23T16:00:00Z")
            let taken = try await desk.call(.POST, "/api/v1/take-next", token: specialist.token)
            #expect(taken.status == .ok && taken.string["id"] == id)
            #expect((taken["olas"] as? [[String: Any]])?.first?["state"] as? String == "met")
            desk.checkExchangesAgainstOpenAPI()
        }
    }

    @Test(arguments: TestDatabase.all) func plexGoldGetsAnAdvocateOnEscalationAndShowsItsTAM(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-24T14:00:00Z", on: database) { desk in
            let gold = try await desk.organization("plex", plan: "gold", prefix: "GLD")
            let silver = try await desk.organization("plex", plan: "silver", prefix: "SLV")
            let tam = try await Self.staff(desk, "tina@provider.test", role: "tam", tier: nil)
            let busy = try await Self.staff(desk, "amy@provider.test", role: "manager", tier: nil)
            let free = try await Self.staff(desk, "zed@provider.test", role: "manager", tier: nil)
            #expect(try await desk.call(.PUT, "/api/v1/organizations/\(gold)/roles/tam", token: desk.adminToken, body: #"{"person":"\#(busy.id)"}"#).status
                    == .unprocessableEntity, "a TAM must hold the TAM role")
            #expect(try await desk.call(.PUT, "/api/v1/organizations/\(gold)/roles/tam", token: desk.adminToken, body: #"{"person":"\#(tam.id)"}"#).status == .noContent)
            let contact = try await desk.person(in: gold, email: "gil@gold.test", role: "authorized-contact")
            let silverContact = try await desk.person(in: silver, email: "sil@silver.test", role: "authorized-contact")
            let agent = try await Self.staff(desk, "ann@provider.test")
            // Amy already advocates for one escalated gold case, so Zed gets the next.
            var advocates: [String?] = []
            for _ in 0..<2 {
                let logged = try await desk.call(.POST, "/api/v1/cases", token: contact.token,
                                                 body: #"{"title":"Slow","description":"Reports slow","priority":"p3","channel":"web","language":"de"}"#)
                #expect(Self.work(logged)["team"] as? String == "europe", "German at 15:00 in Bratislava")
                let tamView = logged["tam"] as? [String: Any]
                #expect(tamView?["kind"] as? String == "reactive" && tamView?["person"] as? String == tam.id)
                let escalated = try await desk.call(.POST, "/api/v1/cases/\(try #require(logged.string["id"]))/escalations", token: agent.token,
                                                    body: #"{"tier":2,"reason":"product defect"}"#)
                #expect(escalated.status == .created, "\(escalated.json)")
                advocates.append(Self.work(escalated)["advocate"] as? String)
                #expect((escalated["events"] as? [[String: Any]])?.last?["kind"] as? String == "advocate-assigned")
            }
            #expect(advocates == [busy.id, free.id])
            let plain = try await desk.call(.POST, "/api/v1/cases", token: silverContact.token, body: #"{"title":"Q","description":"How?","priority":"p4","channel":"web"}"#)
            #expect(plain["tam"] == nil, "Silver has no TAM")
            let escalated = try await desk.call(.POST, "/api/v1/cases/\(try #require(plain.string["id"]))/escalations", token: agent.token,
                                                body: #"{"tier":2,"reason":"defect"}"#)
            #expect(Self.work(escalated)["advocate"] == nil, "Silver grants no advocate")
            desk.checkExchangesAgainstOpenAPI()
        }
    }
}
