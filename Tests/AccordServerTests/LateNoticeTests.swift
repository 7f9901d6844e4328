import AccordServer
import AccordStore
import Foundation
import Testing
import VaporTesting

/// Plixer's promise: "if it is not possible to rectify within the appropriate defect rectification
/// period, Plixer will notify the Customer without undue delay, stating the reasons" and "an
/// estimated time of rectification". The agent enters both; the customer is mailed through the outbox.
@Suite(.serialized) struct LateNoticeTests {
    /// A sendmail stand-in that appends every message to `spool`.
    struct Spool {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-late-\(UUID())")
        var script: URL { directory.appendingPathComponent("sendmail") }
        var file: URL { directory.appendingPathComponent("spool") }

        init() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try "#!/bin/sh\ncat >> \(file.path)\necho '=====' >> \(file.path)\n".write(to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        }

        /// The messages sent so far, with CRLF read as LF.
        var messages: [String] {
            ((try? String(contentsOf: file, encoding: .utf8)) ?? "").replacingOccurrences(of: "\r\n", with: "\n")
                .components(separatedBy: "=====\n").filter { !$0.isEmpty }
        }

        func messages(to address: String) -> [String] { messages.filter { $0.contains("\nTo: \(address)\n") } }
    }

    @Test(arguments: TestDatabase.all) func theAgentsReasonAndEstimateReachTheCustomer(_ database: TestDatabase) async throws {
        let spool = try Spool()
        defer { try? FileManager.default.removeItem(at: spool.directory) }
        // Monday 2 March 2026, 09:00 EST.
        try await DeskHarness.run(at: "2026-03-02T14:00:00Z", on: database) { desk in
            let org = try await desk.organization("plixer", plan: "standard", prefix: "PX")
            let user = try await desk.person(in: org, email: "ulla@px.test", role: "user")
            let agent = try await WorkDeskTests.staff(desk, "agent@provider.test")
            _ = try await WorkDeskTests.staff(desk, "boss@provider.test", role: "manager", tier: nil)
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                             body: #"{"title":"Flows lost","description":"d","priority":"severity-1","channel":"web","cc":["cio@px.test"]}"#)
            #expect(logged.status == .created, "\(logged.json)")
            let id = try #require(logged.string["id"])
            let events = "/api/v1/cases/\(id)/events"
            let notice = #"{"kind":"rectification-late","value":"2026-03-20","body":"Needs a vendor patch"}"#

            // Nothing can be late before the defect is confirmed.
            let early = try await desk.call(.POST, events, token: agent.token, body: notice)
            #expect(early.status == .conflict && early.string["detail"]?.contains("has not started (defect-confirmed)") == true, "\(early.json)")
            desk.set("2026-03-02T15:00:00Z")
            let confirmed = try await desk.call(.POST, events, token: agent.token, body: #"{"kind":"defect-confirmed"}"#)
            // Severity 1: five days, so due Saturday 7 March 15:00Z.
            #expect(desk.clock(confirmed, "resolution")?["due"] as? String == "2026-03-07T15:00:00Z")
            #expect(desk.clock(confirmed, "resolution")?["lateNotice"] as? [String: String] == ["state": "not-due"])
            #expect(desk.clock(confirmed)?["lateNotice"] == nil, "the response clock promises no notice")

            // Only staff give the notice, with a reason and an estimate past the due.
            #expect(try await desk.call(.POST, events, token: user.token, body: notice).status == .forbidden)
            for (body, field, detail) in [
                (#"{"kind":"rectification-late","value":"2026-03-20"}"#, "body", "state the reason"),
                (#"{"kind":"rectification-late","value":"2026-03-20","body":"  "}"#, "body", "state the reason"),
                (#"{"kind":"rectification-late","value":"next week","body":"r"}"#, "value", "a date (YYYY-MM-DD, by the end of that day in America/New_York)"),
                (#"{"kind":"rectification-late","body":"r"}"#, "value", "estimated rectification"),
                // The end of Friday 6 March in New York is before Saturday's due: not late.
                (#"{"kind":"rectification-late","value":"2026-03-06","body":"r"}"#, "value", "is within the Defect rectification period, due 2026-03-07T15:00:00Z"),
                (#"{"kind":"rectification-late","value":"2026-03-01T00:00:00Z","body":"r"}"#, "value", "has already passed"),
            ] {
                let refused = try await desk.call(.POST, events, token: agent.token, body: body)
                #expect(refused.status == .unprocessableEntity && refused.string["field"] == field, "\(body): \(refused.json)")
                #expect(refused.string["detail"]?.contains(detail) == true, "\(body): \(refused.json)")
            }
            // A policy that promises no such notice refuses it.
            let pro = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "PRO")
            let proUser = try await desk.person(in: pro, email: "pat@pro.test", role: "user")
            let proCase = try await desk.call(.POST, "/api/v1/cases", token: proUser.token, body: #"{"title":"Down","description":"Down","channel":"web"}"#)
            let unpromised = try await desk.call(.POST, "/api/v1/cases/\(try #require(proCase.string["id"]))/events", token: agent.token, body: notice)
            #expect(unpromised.status == .unprocessableEntity && unpromised.string["field"] == "kind", "\(unpromised.json)")

            // At the due the notice is owed, and the breach alert says so.
            let monitor = try await SLAMonitorTests.monitor(desk, mail: .sendmail(path: spool.script.path)).readingPolicies(at: desk.clock.now())
            desk.set("2026-03-07T15:00:00Z")
            let due = try await desk.call(.GET, "/api/v1/cases/\(id)", token: agent.token)
            #expect((desk.clock(due, "resolution")?["lateNotice"] as? [String: String])?["state"] == "owed")
            let breach = try await monitor.pass(at: SLAMonitorTests.at("2026-03-07T15:00:00Z"))
            #expect(try breach.raised.alarms().filter { $0.metric == "resolution" }.map(\.kind) == ["warning-75", "warning-90", "breach"])
            let breachMail = try #require(spool.messages(to: "boss@provider.test").first { $0.contains("Subject: [Accord] BREACH PX-2026-000001: resolution") })
            #expect(breachMail.contains("add a rectification-late event to the case with the reason and an estimated rectification date"))

            // The agent tells the customer: by the end of Friday 20 March, New York time (EDT by then).
            desk.set("2026-03-07T16:00:00Z")
            let past = try await desk.call(.POST, events, token: agent.token, body: #"{"kind":"rectification-late","value":"2026-03-07T15:30:00Z","body":"r"}"#)
            #expect(past.status == .unprocessableEntity && past.string["detail"]?.contains("has already passed") == true, "\(past.json)")
            let told = try await desk.call(.POST, events, token: agent.token, body: notice)
            #expect(told.status == .created, "\(told.json)")
            let given = try #require((told["events"] as? [[String: Any]])?.last)
            #expect(given["kind"] as? String == "rectification-late" && given["value"] as? String == "2026-03-21T04:00:00Z"
                    && given["body"] as? String == "Needs a vendor patch")
            #expect(desk.clock(told, "resolution")?["lateNotice"] as? [String: String]
                    == ["state": "given", "givenAt": "2026-03-07T16:00:00Z", "estimate": "2026-03-21T04:00:00Z"])
            #expect(desk.clock(told, "resolution")?["due"] as? String == "2026-03-07T15:00:00Z", "the notice never moves the contract's due")

            // The customer sees the notice, not the staff's notes or routing.
            _ = try await desk.call(.POST, events, token: agent.token, body: #"{"kind":"internal-note","body":"vendor is slow"}"#)
            let asCustomer = try await desk.call(.GET, "/api/v1/cases/\(id)", token: user.token)
            let customerKinds = (asCustomer["events"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(customerKinds.contains("rectification-late") && !customerKinds.contains("internal-note") && !customerKinds.contains("routed"))
            #expect(asCustomer["olas"] == nil)
            let asAgent = try await desk.call(.GET, "/api/v1/cases/\(id)", token: agent.token)
            let agentKinds = (asAgent["events"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(agentKinds.contains("internal-note") && agentKinds.contains("routed"))

            // The outbox mails the requester and the CC'd address, never staff, with the reason and both dates in New York time.
            let sent = try await monitor.pass(at: SLAMonitorTests.at("2026-03-07T16:00:00Z"))
            #expect(sent.dispatched == 1 && sent.delivered == 2, "\(sent)")
            for address in ["ulla@px.test", "cio@px.test"] {
                let mail = try #require(spool.messages(to: address).first, "\(address)")
                #expect(mail.contains("Subject: PX-2026-000001: Defect rectification period - rectification expected by 2026-03-21T00:00:00-04:00 (America/New_York)\n"))
                #expect(mail.contains("which ends 2026-03-07T10:00:00-05:00 (America/New_York)"))
                #expect(mail.contains("Reason: Needs a vendor patch"))
            }
            #expect(spool.messages(to: "boss@provider.test").allSatisfy { !$0.contains("Reason: Needs a vendor patch") })
            let store = DeskStore(database: desk.app.db)
            let caseID = try #require(UUID(uuidString: id))
            #expect(Set(try await store.deliveries(caseID: caseID).filter { $0.event == "customer.late-notice" }.map(\.target)) == ["ulla@px.test", "cio@px.test"])

            // The estimate passes with the defect still open: staff hear, and a new notice is owed.
            let estimate = Int(SLAMonitorTests.at("2026-03-21T04:00:00Z").timeIntervalSince1970)
            #expect(try await monitor.pass(at: SLAMonitorTests.at("2026-03-21T03:59:59Z")).raised.isEmpty)
            let passed = try await monitor.pass(at: SLAMonitorTests.at("2026-03-21T04:00:00Z"))
            #expect(try passed.raised.alarms().map(\.kind) == ["estimate-passed-\(estimate)"] && passed.raised.alarms().map(\.event) == ["sla.estimate-passed"])
            #expect(spool.messages(to: "boss@provider.test").contains { $0.contains("the rectification estimate given to the customer has passed") })
            desk.set("2026-03-21T04:00:00Z")
            let slipped = try await desk.call(.GET, "/api/v1/cases/\(id)", token: agent.token)
            #expect((desk.clock(slipped, "resolution")?["lateNotice"] as? [String: String])?["state"] == "owed")

            // Rectified: the notice stands as given and nothing more is raised.
            let fixed = try await desk.call(.POST, events, token: agent.token, body: #"{"kind":"status-change","value":"resolved","resolution":"fix"}"#,
                                            headers: [("If-Match", try #require(slipped.headers.first(name: .eTag)))])
            #expect(fixed.status == .created, "\(fixed.json)")
            #expect((desk.clock(fixed, "resolution")?["lateNotice"] as? [String: String])?["state"] == "given")
            #expect(try await store.pendingAlarms(of: caseID).filter { $0.metric == "resolution" }.isEmpty)
        }
    }
}
