import AccordServer
import Foundation
import Testing
import VaporTesting

/// The desk end to end over HTTP on SQLite: intake rules, clocks checked against the engine's worked
/// examples, the lifecycle with pauses and If-Match, visibility, and bad input.
@Suite(.serialized) struct CaseDeskTests {
    @Test(arguments: TestDatabase.all) func plexIntakeRulesAndClocks(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-25T20:00:00Z", on: database) { desk in  // Wednesday 15:00 in Detroit
            let org = try await desk.organization("plex", plan: "silver", prefix: "ACME")
            let contact = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            let user = try await desk.person(in: org, email: "bob@acme.test", role: "user")

            // P2-P4: authorized contacts only, online only.
            let refused = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                              body: #"{"title":"Slow","description":"Reports slow","priority":"p2","channel":"web"}"#)
            #expect(refused.status == .forbidden)
            #expect(refused.string["detail"]?.contains("may be logged only by authorized-contact") == true)
            #expect(refused.headers.contentType?.description == "application/problem+json")
            let byPhone = try await desk.call(.POST, "/api/v1/cases", token: contact.token,
                                              body: #"{"title":"Slow","description":"Reports slow","priority":"p2","channel":"phone"}"#)
            #expect(byPhone.status == .forbidden)
            #expect(byPhone.string["field"] == "channel")

            // Silver P2, Wednesday before Thanksgiving 15:00: due Friday 15:00 (worked example).
            let p2 = try await desk.call(.POST, "/api/v1/cases", token: contact.token,
                                         body: #"{"title":"Slow","description":"Reports slow","priority":"p2","channel":"web"}"#)
            #expect(p2.status == .created)
            #expect(p2.string["number"] == "ACME-2026-000001")
            #expect(p2.headers.first(name: .eTag) == "\"1\"")
            let clock = try #require(desk.clock(p2))
            #expect(clock["target"] as? String == "24 business hours")
            #expect(clock["due"] as? String == "2026-11-27T20:00:00Z")
            #expect(clock["state"] as? String == "running")

            // P1: any user, by phone too — logged by the provider's staff who took the call; one calendar hour.
            let claimed = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                              body: #"{"title":"Down","description":"Cannot ship","priority":"p1","channel":"phone"}"#)
            #expect(claimed.status == .forbidden && claimed.string["field"] == "channel")
            let p1 = try await desk.call(.POST, "/api/v1/cases", token: desk.adminToken,
                                         body: #"{"title":"Down","description":"Cannot ship","priority":"p1","channel":"phone","requester":"\#(user.id)"}"#)
            #expect(p1.status == .created)
            #expect(desk.clock(p1)?["due"] as? String == "2026-11-25T21:00:00Z")
            #expect(p1.string["number"] == "ACME-2026-000002")
        }
    }

    @Test(arguments: TestDatabase.all) func repliesPausesAndIfMatch(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z", on: database) { desk in  // Monday 09:00 EST
            let org = try await desk.organization("plex", plan: "platinum", prefix: "PLAT")
            let contact = try await desk.person(in: org, email: "ann@plat.test", role: "authorized-contact")
            let created = try await desk.call(.POST, "/api/v1/cases", token: contact.token,
                                              body: #"{"title":"Degraded","description":"MRP slow","priority":"p2","channel":"web"}"#)
            let id = try #require(created.string["id"])
            let events = "/api/v1/cases/\(id)/events"

            // Awaiting the customer from Monday 12:00 to Tuesday 12:00 (worked example: due Wednesday 09:00).
            desk.set("2026-11-16T17:00:00Z")
            let noMatch = try await desk.call(.POST, events, token: desk.adminToken, body: #"{"kind":"status-change","value":"awaiting-customer"}"#)
            #expect(noMatch.status == .preconditionRequired)
            let paused = try await desk.call(.POST, events, token: desk.adminToken, body: #"{"kind":"status-change","value":"awaiting-customer"}"#,
                                             headers: [("If-Match", "\"1\"")])
            #expect(paused.status == .created)
            #expect(desk.clock(paused)?["state"] as? String == "paused")
            let stale = try await desk.call(.POST, events, token: desk.adminToken, body: #"{"kind":"status-change","value":"open"}"#,
                                            headers: [("If-Match", "\"1\"")])
            #expect(stale.status == .preconditionFailed)
            desk.set("2026-11-17T17:00:00Z")
            let resumed = try await desk.call(.POST, events, token: desk.adminToken, body: #"{"kind":"status-change","value":"open"}"#,
                                              headers: [("If-Match", "\"2\"")])
            #expect(resumed.status == .created)
            #expect(desk.clock(resumed)?["due"] as? String == "2026-11-18T14:00:00Z")
            #expect(desk.clock(resumed)?["state"] as? String == "running")

            // The first public reply meets the clock.
            desk.set("2026-11-17T18:00:00Z")
            let reply = try await desk.call(.POST, events, token: desk.adminToken, body: #"{"kind":"public-reply","body":"Looking into it"}"#)
            #expect(desk.clock(reply)?["state"] as? String == "met")
            #expect((reply["events"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["logged", "routed", "status-change", "status-change", "public-reply"])

            // Invalid transition: an open case cannot be closed before it is resolved.
            let closed = try await desk.call(.POST, events, token: desk.adminToken, body: #"{"kind":"status-change","value":"closed"}"#,
                                             headers: [("If-Match", "\"4\"")])
            #expect(closed.status == .conflict)
            // Customers cannot post staff events.
            let note = try await desk.call(.POST, events, token: contact.token, body: #"{"kind":"internal-note","body":"x"}"#)
            #expect(note.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all) func visibilityFollowsThePolicy(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            // plm-group: each requester sees only their own cases, even within one company.
            let plm = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "PLM")
            let anna = try await desk.person(in: plm, email: "anna@plm.test", role: "user")
            let boss = try await desk.person(in: plm, email: "boss@plm.test", role: "authorized-contact")
            let annaCase = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase())
            let annaID = try #require(annaCase.string["id"])
            #expect(desk.clock(annaCase)?["due"] as? String == "2026-03-02T11:00:00Z")  // 10:00 CET + 2 business hours = 12:00 CET
            #expect(try await desk.call(.GET, "/api/v1/cases/\(annaID)", token: boss.token).status == .notFound)
            #expect((try await desk.call(.GET, "/api/v1/cases", token: boss.token)["items"] as? [Any])?.count == 0)
            #expect(try await desk.call(.GET, "/api/v1/cases/\(annaID)", token: anna.token).status == .ok)

            // plex: authorized contacts oversee their organization's cases; users see their own.
            let plex = try await desk.organization("plex", plan: "gold", prefix: "PLX")
            let user = try await desk.person(in: plex, email: "u@plx.test", role: "user")
            let contact = try await desk.person(in: plex, email: "c@plx.test", role: "authorized-contact")
            let userCase = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                               body: #"{"title":"Down","description":"All lines","priority":"p1","channel":"web"}"#)
            let userCaseID = try #require(userCase.string["id"])
            #expect(try await desk.call(.GET, "/api/v1/cases/\(userCaseID)", token: contact.token).status == .ok)
            let contactCase = try await desk.call(.POST, "/api/v1/cases", token: contact.token,
                                                  body: #"{"title":"Q","description":"How to","priority":"p4","channel":"web"}"#)
            #expect(try await desk.call(.GET, "/api/v1/cases/\(try #require(contactCase.string["id"]))", token: user.token).status == .notFound)
            // Other organizations never see each other's cases; staff see all.
            #expect(try await desk.call(.GET, "/api/v1/cases/\(userCaseID)", token: anna.token).status == .notFound)
            #expect((try await desk.call(.GET, "/api/v1/cases", token: desk.adminToken)["items"] as? [Any])?.count == 3)
        }
    }

    /// A customer's list is the union of own, watched and overseen cases, read part by part and
    /// merged: walking it page by page by cursor gives every visible case once, newest first.
    @Test(arguments: TestDatabase.all) func pagesOfAUnionWalkEveryVisibleCaseOnceNewestFirst(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let plex = try await desk.organization("plex", plan: "gold", prefix: "PLX")
            let other = try await desk.organization("plex", plan: "gold", prefix: "ABC")
            let contact = try await desk.person(in: plex, email: "c@plx.test", role: "authorized-contact")
            let colleague = try await desk.person(in: plex, email: "u@plx.test", role: "user")
            let stranger = try await desk.person(in: other, email: "s@abc.test", role: "user")
            var visible: [String: String] = [:]
            func log(_ person: (id: String, token: String), priority: String, cc: String? = nil) async throws -> (id: String, number: String) {
                let ccField = cc.map { #","cc":["\#($0)"]"# } ?? ""
                let logged = try await desk.call(.POST, "/api/v1/cases", token: person.token,
                                                 body: #"{"title":"T","description":"d","priority":"\#(priority)","channel":"web"\#(ccField)}"#)
                #expect(logged.status == .created, "\(logged.json)")
                return (try #require(logged.string["id"]), try #require(logged.string["number"]))
            }
            for _ in 0..<3 {
                let own = try await log(contact, priority: "p3")
                visible[own.id] = own.number
                let overseen = try await log(colleague, priority: "p1")
                visible[overseen.id] = overseen.number
                let watched = try await log(stranger, priority: "p1", cc: "c@plx.test")
                visible[watched.id] = watched.number
                _ = try await log(stranger, priority: "p1")
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await desk.call(.GET, "/api/v1/cases?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: contact.token)
                let items = try #require(page["items"] as? [[String: Any]])
                #expect(items.count <= 2)
                seen += items.compactMap { $0["id"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(seen.count == visible.count)
            #expect(Set(seen) == Set(visible.keys))
            let numbers = seen.compactMap { visible[$0] }
            #expect(numbers == numbers.sorted(by: >), "newest first across own, overseen and watched cases")
            #expect(numbers.first?.hasPrefix("PLX-") == true && numbers.last?.hasPrefix("ABC-") == true)
        }
    }

    @Test(arguments: TestDatabase.all) func badInputGetsProblemsNeverA500(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "PRO")
            let user = try await desk.person(in: org, email: "u@pro.test", role: "user")
            let cases: [(String, HTTPStatus, String)] = [
                ("{\"title\":", .badRequest, "malformed JSON"),
                ("[1]", .badRequest, "must be a JSON object"),
                (#"{"title":"a","description":"b","channel":"web","colour":"red"}"#, .unprocessableEntity, "unknown field 'colour'"),
                (#"{"title":1,"description":"b","channel":"web"}"#, .unprocessableEntity, "field 'title' has the wrong type"),
                (#"{"description":"b","channel":"web"}"#, .unprocessableEntity, "missing field 'title'"),
                (#"{"title":"a","description":"b","channel":"fax"}"#, .unprocessableEntity, "the case has invalid fields"),
                (#"{"title":"a","description":"b","channel":"web","priority":"high"}"#, .unprocessableEntity, "has no priorities"),
            ]
            for (body, status, fragment) in cases {
                let reply = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: body)
                #expect(reply.status == status, "\(body): \(reply.json)")
                #expect(reply.string["detail"]?.contains(fragment) == true, "\(body): \(reply.json)")
            }
            #expect(try await desk.call(.GET, "/api/v1/cases", token: nil).status == .unauthorized)
            #expect(try await desk.call(.GET, "/api/v1/cases", token: "acd_nope").status == .unauthorized)
            #expect(try await desk.call(.GET, "/api/v1/cases/not-a-uuid", token: user.token).status == .notFound)
            #expect(try await desk.call(.POST, "/api/v1/organizations", token: user.token, body: "{}").status == .forbidden)
            let huge = String(repeating: "x", count: 2_000_000)
            let tooBig = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"a","description":"\#(huge)","channel":"web"}"#)
            #expect(tooBig.status == .payloadTooLarge)
            // Pro Plus: 24 business hours of the tier-1 window; free support has no target.
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"a","description":"b","channel":"email"}"#)
            #expect(desk.clock(logged)?["due"] as? String == "2026-03-04T01:00:00Z")  // Monday 03:00 CST: 07-19 Monday and Tuesday → Tuesday 19:00 CST
        }
    }

    @Test(arguments: TestDatabase.all) func lapsedPlexSupportRefusesNewCases(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2025-10-01T09:00:00Z", on: database) { desk in
            // Plex renews automatically; notice of non-renewal ends the subscription with the term.
            let org = try await desk.organization("plex", plan: "gold", prefix: "OLD", termStart: "2025-02-02", termEnd: "2026-02-01")
            let user = try await desk.person(in: org, email: "u@old.test", role: "authorized-contact")
            #expect(try await desk.call(.POST, "/api/v1/organizations/\(org)/non-renewal", token: desk.adminToken).status == .created)
            desk.set("2026-03-02T09:00:00Z")
            let reply = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                            body: #"{"title":"Down","description":"All","priority":"p1","channel":"web"}"#)
            #expect(reply.status == .forbidden)
            #expect(reply.string["detail"]?.contains("gives no support after a lapse") == true)

            // Pro Plus falls back to free support: the case is taken, with no target.
            let pro = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "LAPS", termEnd: "2026-02-01")
            let customer = try await desk.person(in: pro, email: "u@laps.test", role: "user")
            let free = try await desk.call(.POST, "/api/v1/cases", token: customer.token, body: #"{"title":"Q","description":"How","channel":"email"}"#)
            #expect(free.status == .created)
            #expect(free.string["plan"] == "free")
            #expect(desk.clock(free)?["state"] as? String == "no-target")
        }
    }
}

/// Concurrent writes: every acknowledged case gets its own number.
@Suite struct ConcurrentIntakeTests {
    @Test(arguments: TestDatabase.all) func casesLoggedAtOnceGetDistinctNumbers(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let org = try await desk.organization("plixer", plan: "standard", prefix: "PX")
            let user = try await desk.person(in: org, email: "u@px.test", role: "user")
            let numbers = try await withThrowingTaskGroup(of: String?.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        let reply = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                                        body: #"{"title":"Case \#(i)","description":"d","priority":"severity-3","channel":"web"}"#)
                        #expect(reply.status == .created, "\(reply.json)")
                        return reply.string["number"]
                    }
                }
                return try await group.reduce(into: [String]()) { if let n = $1 { $0.append(n) } }
            }
            #expect(numbers.count == 20)
            #expect(Set(numbers).count == 20)
        }
    }
}

/// `accord serve --demo`: every preset gets a customer, and the clocks show every state.
@Suite struct DemoSeedTests {
    @Test(arguments: TestDatabase.all) func theDemoShowsEveryPresetAndEveryClockState(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-25T20:00:00Z", on: database) { desk in
            let accounts = try await AccordApp.seedDemo(desk.app, now: DeskHarness.date("2026-11-25T20:00:00Z"))
            #expect(accounts.count == 9)
            let manager = try #require(accounts.first { $0.role == "manager" })
            // Agents are in their tier's teams, so the demo's queues have work to take.
            let agent = try #require(accounts.first { $0.email == "agent.tier1@accord.demo" })
            let taken = try await desk.call(.POST, "/api/v1/take-next", token: agent.token)
            #expect(taken.status == .ok, "\(taken.json)")
            let prairie = try await desk.call(.GET, "/api/v1/queues/pro-plus.tier-1", token: manager.token)
            #expect((prairie["positions"] as? [[String: Any]])?.first?["queue"] as? String == "priority", "Paul is on Prairie's priority-sender list")
            let page = try await desk.call(.GET, "/api/v1/cases?limit=50", token: manager.token)
            let cases = try #require(page["items"] as? [[String: Any]])
            #expect(Set(cases.compactMap { $0["policy"] as? String }) == ["plex", "plixer", "plm-group", "pro-plus"])
            #expect(Set(cases.compactMap { $0["status"] as? String }) == ["new", "open", "awaiting-customer", "closed"])
            let states = Set(cases.flatMap { ($0["clocks"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String } })
            #expect(states.isSuperset(of: ["running", "paused", "met", "breached", "excluded", "no-target"]))
            #expect(cases.contains { $0["unsupportedVersion"] as? Bool == true })
            // A second run leaves a desk with customers alone.
            #expect(try await AccordApp.seedDemo(desk.app, now: DeskHarness.date("2026-11-25T20:00:00Z")).isEmpty)
            // The demo people's tokens work and see only what they may.
            let ola = try #require(accounts.first { $0.email == "ola@fjord.demo" })
            let own = try await desk.call(.GET, "/api/v1/cases", token: ola.token)
            #expect((own["items"] as? [[String: Any]])?.allSatisfy { $0["policy"] as? String == "plm-group" } == true)
        }
    }
}

/// `/openapi.yaml` is served, and documents exactly the routes the server has. (Every response of
/// every desk test is checked against it when the test's desk stops.)
@Suite struct OpenAPIDocumentTests {
    @Test func everyRouteIsDocumentedAndNothingElse() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z") { desk in
            let served = try await desk.download("/openapi.yaml", token: "")
            #expect(served.status == .ok)
            #expect(String(decoding: served.body, as: UTF8.self) == (try OpenAPIDocument.text()))
            // The web desk's pages (HTML for browsers, docs/web.md) are not operations of the API.
            let routes = Set(desk.app.routes.all.map { route in
                "\(route.method.rawValue) /" + route.path.map { component -> String in
                    let text = component.description
                    return text.hasPrefix(":") ? "{\(text.dropFirst())}" : text
                }.joined(separator: "/")
            }.filter { $0.contains(" /api/") || $0.hasSuffix(" /health") || $0.hasSuffix(" /metrics") || $0.hasSuffix(" /openapi.yaml") })
            #expect(routes == OpenAPIContract.shared.operations, "undocumented: \(routes.subtracting(OpenAPIContract.shared.operations).sorted()); documented but absent: \(OpenAPIContract.shared.operations.subtracting(routes).sorted())")
        }
    }

    /// Links tell generated clients and fuzzers how operations chain (a logged case's id feeds its
    /// events, watchers, attachments…): each names an existing operation and one of its parameters.
    @Test func everyLinkNamesAnOperationAndItsParameter() throws {
        let document = OpenAPIContract.shared.document
        var operations: [String: Set<String>] = [:]
        var links: [(name: String, operation: String, parameters: [String])] = []
        for (path, item) in (document["paths"] as? [String: Any]) ?? [:] {
            let pathParameters = Set(path.split(separator: "{").dropFirst().compactMap { $0.split(separator: "}").first.map(String.init) })
            for (_, value) in (item as? [String: Any]) ?? [:] {
                guard let operation = value as? [String: Any], let id = operation["operationId"] as? String else { continue }
                let query = ((operation["parameters"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
                operations[id] = pathParameters.union(query)
                for case let response as [String: Any] in ((operation["responses"] as? [String: Any]) ?? [:]).values {
                    for (name, link) in (response["links"] as? [String: Any]) ?? [:] {
                        let link = link as? [String: Any]
                        links.append((name, link?["operationId"] as? String ?? "", Array(((link?["parameters"] as? [String: Any]) ?? [:]).keys)))
                    }
                }
            }
        }
        #expect(links.count >= 15)
        for link in links {
            let known = try #require(operations[link.operation], "link \(link.name) names no operation '\(link.operation)'")
            #expect(link.parameters.allSatisfy(known.contains), "link \(link.name): \(link.parameters) not among \(known.sorted())")
        }
    }

    @Test func theCheckerCatchesAnUndocumentedFieldAStatusAndAType() {
        let contract = OpenAPIContract.shared
        let good = Data(#"{"status":"ok"}"#.utf8)
        #expect(contract.problems(method: "GET", path: "/health", status: 200, contentType: "application/json; charset=utf-8", body: good).isEmpty)
        #expect(!contract.problems(method: "GET", path: "/health", status: 200, contentType: "application/json", body: Data(#"{"status":"ok","x":1}"#.utf8)).isEmpty)
        #expect(!contract.problems(method: "GET", path: "/health", status: 418, contentType: "application/json", body: good).isEmpty)
        #expect(!contract.problems(method: "GET", path: "/api/v1/me", status: 200, contentType: "application/json",
                                   body: Data(#"{"id":"x","name":"n","email":"e","role":"user","billableOverage":false,"erased":false}"#.utf8)).isEmpty)
        #expect(!contract.problems(method: "DELETE", path: "/api/v1/me", status: 200, contentType: "application/json", body: good).isEmpty)
    }
}
