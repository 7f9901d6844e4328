import AccordServer
import AccordStore
import Foundation
import Testing
import VaporTesting

/// The API over the monitor's configuration and records: templates admins edit, webhooks they
/// subscribe, the deliveries and attempts managers audit, and a case's alarms.
@Suite struct NotificationRoutesTests {
    @Test func adminsEditTemplatesWithKnownPlaceholdersAndTheMailUsesThem() async throws {
        let spool = try LateNoticeTests.Spool()
        defer { try? FileManager.default.removeItem(at: spool.directory) }
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z") { desk in
            let manager = try await WorkDeskTests.staff(desk, "boss@provider.test", role: "manager", tier: nil)
            let listed = try await desk.list("/api/v1/templates", token: manager.token)
            #expect(listed.compactMap { $0["name"] as? String } == ["sla.warning", "sla.breach", "sla.estimate-passed", "customer.late-notice",
                                                                  "customer.acknowledgement", "customer.reply", "customer.status", "review.published", "mail.refusal"])
            #expect(listed.allSatisfy { $0["edited"] as? Bool == false && $0["subject"] as? String == $0["defaultSubject"] as? String })

            let edit = #"{"subject":"Heads up: {{case.number}} at {{alarm}}","body":"Due {{due}}.{{late-notice}}"}"#
            #expect(try await desk.call(.PUT, "/api/v1/templates/sla.warning", token: manager.token, body: edit).status == .forbidden)
            #expect(try await desk.call(.PUT, "/api/v1/templates/sla.oops", token: desk.adminToken, body: edit).status == .notFound)
            for (body, field, detail) in [
                (#"{"subject":"{{case.numbr}}","body":"b"}"#, "subject", "{{case.numbr}} is not a placeholder of sla.warning"),
                (#"{"subject":"s","body":"{{reason}}"}"#, "body", "{{reason}} is not a placeholder of sla.warning"),
                (#"{"subject":" ","body":"b"}"#, "subject", "must not be empty"),
                (#"{"subject":"one\ntwo","body":"b"}"#, "subject", "one line"),
            ] {
                let refused = try await desk.call(.PUT, "/api/v1/templates/sla.warning", token: desk.adminToken, body: body)
                #expect(refused.status == .unprocessableEntity && refused.string["field"] == field, "\(body): \(refused.json)")
                #expect(refused.string["detail"]?.contains(detail) == true, "\(refused.json)")
            }
            let unknownField = try await desk.call(.PUT, "/api/v1/templates/sla.warning", token: desk.adminToken, body: #"{"subject":"s","body":"b","html":"x"}"#)
            #expect(unknownField.status == .unprocessableEntity && unknownField.string["field"] == "html")
            let saved = try await desk.call(.PUT, "/api/v1/templates/sla.warning", token: desk.adminToken, body: edit)
            #expect(saved.status == .ok && saved["edited"] as? Bool == true && saved.string["subject"] == "Heads up: {{case.number}} at {{alarm}}")
            #expect(saved.string["updatedAt"] == "2026-03-02T09:00:00Z")

            // The monitor's next warning mail is the edited text.
            _ = try await SLAMonitorTests.logPLMCase(desk)
            let monitor = SLAMonitorTests.monitor(desk, mail: .sendmail(path: spool.script.path))
            _ = try await monitor.pass(at: SLAMonitorTests.at("2026-03-02T10:30:00Z"))
            let mail = try #require(spool.messages(to: "boss@provider.test").first)
            #expect(mail.contains("Subject: Heads up: PLM-2026-000001 at 75%\n") && mail.contains("Due 2026-03-02T11:00:00Z."))

            let reset = try await desk.call(.DELETE, "/api/v1/templates/sla.warning", token: desk.adminToken)
            #expect(reset.status == .ok && reset["edited"] as? Bool == false && reset.string["subject"] == reset.string["defaultSubject"])
        }
    }

    @Test func adminsSubscribeWebhooksAndManagersAuditDeliveries() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z") { desk in
            let manager = try await WorkDeskTests.staff(desk, "boss@provider.test", role: "manager", tier: nil)
            let agent = try await WorkDeskTests.staff(desk, "agent@provider.test")
            for (body, field) in [
                (#"{"url":"ftp://ops.test/hook"}"#, "url"),
                (#"{"url":"https://ops.test/hook","events":["sla.oops"]}"#, "events"),
                (#"{"url":"https://ops.test/hook","events":[]}"#, "events"),
                (#"{"url":"https://ops.test/hook","secret":"short"}"#, "secret"),
                // Server-side request forgery: internal addresses are refused (this desk allows only 127.0.0.0/8).
                (#"{"url":"http://169.254.169.254/latest/meta-data/"}"#, "url"),
                (#"{"url":"http://10.1.2.3:8080/hook"}"#, "url"),
                (#"{"url":"http://192.168.0.1/hook"}"#, "url"),
                (#"{"url":"http://[::1]:9/hook"}"#, "url"),
                (#"{"url":"http://[::ffff:10.0.0.1]/hook"}"#, "url"),
                (#"{"url":"http://0.0.0.0:9/hook"}"#, "url"),
            ] {
                let refused = try await desk.call(.POST, "/api/v1/webhooks", token: desk.adminToken, body: body)
                #expect(refused.status == .unprocessableEntity && refused.string["field"] == field, "\(body): \(refused.json)")
            }
            #expect(try await desk.call(.POST, "/api/v1/webhooks", token: manager.token, body: #"{"url":"https://ops.test/hook"}"#).status == .forbidden)
            // The desk itself answers 404 at this URL: every attempt fails, and the record says so.
            let created = try await desk.call(.POST, "/api/v1/webhooks", token: desk.adminToken,
                                              body: #"{"url":"\#(desk.baseURL)/nowhere","events":["sla.warning","customer.late-notice"]}"#)
            #expect(created.status == .created, "\(created.json)")
            #expect((created.string["secret"]?.count ?? 0) >= 40)
            let hookID = try #require(created.string["id"])
            let hooks = try await desk.list("/api/v1/webhooks", token: desk.adminToken)
            #expect(hooks.count == 1 && hooks[0]["secret"] == nil && hooks[0]["events"] as? [String] == ["sla.warning", "customer.late-notice"])

            let (caseID, customer) = try await SLAMonitorTests.logPLMCase(desk)
            let monitor = SLAMonitorTests.monitor(desk)
            _ = try await monitor.pass(at: SLAMonitorTests.at("2026-03-02T10:30:00Z"))
            #expect(try await desk.call(.GET, "/api/v1/deliveries", token: agent.token).status == .forbidden)
            let deliveries = try await desk.list("/api/v1/deliveries?case=\(caseID)", token: manager.token)
            #expect(deliveries.count == 1)
            let delivery = try #require(deliveries.first)
            #expect(delivery["event"] as? String == "sla.warning" && delivery["target"] as? String == hookID && delivery["state"] as? String == "pending"
                    && delivery["attempts"] as? Int == 1 && delivery["case"] as? String == caseID)
            let attempts = try await desk.list("/api/v1/deliveries/\(try #require(delivery["id"] as? String))/attempts", token: manager.token)
            #expect(attempts.count == 1 && attempts[0]["outcome"] as? String == "failed" && attempts[0]["detail"] as? String == "HTTP 404"
                    && attempts[0]["at"] as? String == "2026-03-02T10:30:00Z")
            #expect(try await desk.list("/api/v1/deliveries?state=delivered", token: manager.token).isEmpty)
            #expect(try await desk.call(.GET, "/api/v1/deliveries?state=lost", token: manager.token).string["field"] == "state")
            #expect(try await desk.call(.GET, "/api/v1/deliveries?case=42", token: manager.token).string["field"] == "case")
            #expect(try await desk.call(.GET, "/api/v1/deliveries/\(UUID())/attempts", token: manager.token).status == .notFound)

            // The case's alarms: the warning raised, the rest to come; staff only.
            let alarms = try await desk.call(.GET, "/api/v1/cases/\(caseID)/alarms", token: agent.token)
            #expect(alarms.status == .ok, "\(alarms.json)")
            let raised = alarms["raised"] as? [[String: Any]] ?? []
            #expect(raised.map { $0["kind"] as? String } == ["warning-75"] && raised.first?["raisedAt"] as? String == "2026-03-02T10:30:00Z")
            #expect((alarms["pending"] as? [[String: Any]] ?? []).map { $0["kind"] as? String } == ["warning-90", "breach"])
            #expect(try await desk.call(.GET, "/api/v1/cases/\(caseID)/alarms", token: customer).status == .forbidden)

            #expect(try await desk.call(.DELETE, "/api/v1/webhooks/\(hookID)", token: desk.adminToken).status == .noContent)
            #expect(try await desk.call(.DELETE, "/api/v1/webhooks/\(hookID)", token: desk.adminToken).status == .notFound)
            #expect(try await desk.list("/api/v1/webhooks", token: desk.adminToken).first?["active"] as? Bool == false)
        }
    }
}

/// Webhooks never reach into the desk's own network unless an operator allows it, checked when a
/// webhook is added and again before every delivery.
@Suite struct WebhookNetworkTests {
    @Test func internalAddressesAreRefusedUnlessTheirNetworkIsAllowed() throws {
        let none = WebhookNetworks()
        for host in ["127.0.0.1", "localhost", "10.0.0.7", "172.20.1.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "::1", "fd12::1", "fe80::1", "0.0.0.0", "[::1]"] {
            #expect(none.refusal(host: host) != nil, "\(host)")
        }
        #expect(none.refusal(host: "127.0.0.1")?.contains("accord serve --webhook-allow-network 127.0.0.0/8") == true)
        for host in ["8.8.8.8", "2001:4860:4860::8888", "172.32.0.1", "100.128.0.1"] {
            #expect(none.refusal(host: host) == nil, "\(host)")
        }
        let lab = try WebhookNetworks.parse(["10.1.0.0/16", "fd00::/8"]).get()
        #expect(lab.refusal(host: "10.1.200.3") == nil && lab.refusal(host: "10.2.0.1") != nil)
        #expect(lab.refusal(host: "fd00::5") == nil)
        #expect(lab.refusal(host: "unresolvable.invalid")?.contains("does not resolve") == true)
        #expect(lab.refusal(host: "unresolvable.invalid", refusingUnresolvable: false) == nil, "a name not yet in DNS may be added")
        for bad in ["10.0.0.0/33", "banana", "10.0.0.0/-1", "::/129"] {
            #expect(throws: WebhookSubscription.Invalid.self, "\(bad)") { try WebhookNetworks.parse([bad]).get() }
        }
    }

    @Test func aDeliveryToAnAddressNowInternalIsRefusedAndRecorded() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z") { desk in
            _ = try await SLAMonitorTests.logPLMCase(desk)
            let store = DeskStore(database: desk.app.db)
            // Stored directly, as if the name had resolved elsewhere when it was added (DNS rebinding).
            _ = try await store.addWebhook(url: "http://127.0.0.1:9/hook", secret: "0123456789abcdef", events: ["*"], at: desk.clock.now())
            var configuration = SLAMonitor.Configuration()
            configuration.webhookNetworks = WebhookNetworks()
            let monitor = SLAMonitor(store: store, configuration: configuration, http: desk.client)
            let report = try await monitor.pass(at: SLAMonitorTests.at("2026-03-02T10:30:00Z"))
            #expect(report.delivered == 0 && report.failed == 1)
            let delivery = try #require(try await store.deliveries().first)
            #expect(delivery.lastError?.hasPrefix("refused: 127.0.0.1 resolves to 127.0.0.1, in 127.0.0.0/8") == true, "\(String(describing: delivery.lastError))")
        }
    }
}
