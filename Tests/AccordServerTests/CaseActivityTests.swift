import AccordServer
import AccordStore
import Foundation
import Testing
import VaporTesting

/// Integrations hear of a case's life through webhooks — `case.created`, `case.message`,
/// `case.updated` — written to the outbox in the transaction of the change, signed and retried like
/// the SLA alarms; never mailed to staff, and never carrying the text people wrote.
@Suite(.serialized) struct CaseActivityTests {
    static func posts(_ receiver: AlertDeliveryTests.Receiver) throws -> [(event: String, data: [String: Any])] {
        try receiver.posts.list.withLock { $0 }.map { post in
            let body = try #require(try JSONSerialization.jsonObject(with: Data(post.body.utf8)) as? [String: Any])
            return (try #require(post.headers.first(name: "Accord-Event")), try #require(body["data"] as? [String: Any]))
        }
    }

    @Test(arguments: TestDatabase.all) func integrationsHearOfNewCasesMessagesAndChanges(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in  // Monday 09:00 in Chicago
            let receiver = try await AlertDeliveryTests.Receiver(failures: 0)
            let alarmsOnly = try await AlertDeliveryTests.Receiver(failures: 0)
            let (directory, script, spool) = try AlertDeliveryTests.sendmail("cat >> SPOOL")
            defer { try? FileManager.default.removeItem(at: directory) }
            do {
                let store = DeskStore(database: desk.app.db)
                _ = try await store.addWebhook(url: receiver.url, secret: "0123456789abcdef", events: CaseActivity.events, at: desk.clock.now())
                _ = try await store.addWebhook(url: alarmsOnly.url, secret: "0123456789abcdef", events: ["sla.breach"], at: desk.clock.now())
                let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "HOOK")
                let user = try await desk.person(in: org, email: "u@hook.test", role: "user")
                _ = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
                let ann = try await WorkDeskTests.staff(desk, "ann@provider.test")
                #expect(try await WorkDeskTests.join(desk, "pro-plus.tier-1", ann.id).status == .ok)

                let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                                 body: #"{"title":"Secret outage","description":"the confidential details","channel":"web"}"#)
                let id = try #require(logged.string["id"])
                #expect(try await desk.call(.POST, "/api/v1/take-next", token: ann.token).status == .ok)
                let events = "/api/v1/cases/\(id)/events"
                #expect(try await desk.call(.POST, events, token: ann.token, body: #"{"kind":"public-reply","body":"private reply text"}"#).status == .created)
                #expect(try await desk.call(.POST, events, token: user.token, body: #"{"kind":"customer-message","body":"customer text"}"#).status == .created)
                #expect(try await desk.call(.POST, events, token: ann.token, body: #"{"kind":"internal-note","body":"note text"}"#).status == .created)
                let current = try await desk.call(.GET, "/api/v1/cases/\(id)", token: ann.token)
                let paused = try await desk.call(.POST, events, token: ann.token, body: #"{"kind":"status-change","value":"awaiting-customer"}"#,
                                                 headers: [("If-Match", try #require(current.headers.first(name: .eTag)))])
                #expect(paused.status == .created, "\(paused.json)")

                let monitor = SLAMonitorTests.monitor(desk, mail: .sendmail(path: script.path))
                let report = try await monitor.pass(at: desk.clock.now())
                #expect(report.failed == 0)
                let heard = try Self.posts(receiver).sorted {
                    (($0.data["changes"] as? [[String: Any]])?.first?["sequence"] as? Int ?? 0) < (($1.data["changes"] as? [[String: Any]])?.first?["sequence"] as? Int ?? 0)
                }
                // The first public reply also opens the case: the message and the change are heard apart.
                #expect(heard.map(\.event) == ["case.created", "case.updated", "case.message", "case.updated", "case.message", "case.updated", "case.updated"])
                let kinds = heard.map { ($0.data["changes"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String } }
                #expect(kinds == [["logged", "routed"], ["assigned"], ["public-reply"], ["status-change"], ["customer-message"], ["internal-note"], ["status-change"]])
                let created = try #require(heard.first?.data)
                #expect(created["case"] as? String == id && created["number"] as? String == logged.string["number"])
                #expect(created["organization"] as? String == org && created["status"] as? String == "new" && created["version"] as? Int == 1)
                #expect((heard.last?.data["changes"] as? [[String: Any]])?.first?["value"] as? String == "awaiting-customer")
                #expect(heard.last?.data["status"] as? String == "awaiting-customer")
                #expect(((heard[1].data["changes"] as? [[String: Any]])?.first?["actor"] as? String) == ann.id)
                // Ids and facts only: nothing anybody wrote leaves in a webhook.
                let bodies = receiver.posts.list.withLock { $0.map(\.body) }.joined()
                for text in ["Secret outage", "confidential", "private reply text", "customer text", "note text"] { #expect(!bodies.contains(text)) }
                // Not mailed to staff, and not sent to a webhook that asked for other events.
                #expect(alarmsOnly.posts.list.withLock { $0.isEmpty })
                #expect(try await store.deliveries(caseID: UUID(uuidString: id)).allSatisfy { $0.channel == "webhook" })
                #expect(!FileManager.default.fileExists(atPath: spool.path))
            } catch {
                try? await receiver.stop()
                try? await alarmsOnly.stop()
                throw error
            }
            try await receiver.stop()
            try await alarmsOnly.stop()
        }
    }

    /// Without a webhook that wants a case's activity, none is written: the outbox only grows for
    /// someone listening.
    @Test func nothingIsWrittenWhenNobodyListens() async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z") { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "QUIET")
            let user = try await desk.person(in: org, email: "u@quiet.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Q","description":"Q","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            #expect(try await desk.call(.POST, "/api/v1/cases/\(id)/events", token: desk.adminToken, body: #"{"kind":"public-reply","body":"A"}"#).status == .created)
            #expect(try await DeskStore(database: desk.app.db).dispatchOutbox(at: desk.clock.now(), to: .webhooksOnly) == 0)
        }
    }
}
