import AccordServer
import AccordTestSupport
import AccordStore
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing
import VaporTesting

/// Alerts leave through the outbox: signed webhooks retried with backoff against a real local
/// receiver that fails on purpose and dead-lettered after the last try; mail through a real SMTP
/// server (aiosmtpd from PyPI) and through a sendmail-compatible command.
@Suite(.serialized) struct AlertDeliveryTests {
    /// A local HTTP receiver that answers 500 to the first `failures` posts, then 200.
    final class Receiver: Sendable {
        final class Posts: Sendable {
            let list = Mutex<[(headers: HTTPHeaders, body: String)]>([])
            var last: (headers: HTTPHeaders, body: String)? { list.withLock { $0.last } }
        }

        let app: Application
        let posts = Posts()
        let port: Int

        init(failures: Int) async throws {
            app = try await Application.make(.testing)
            let posts = self.posts
            app.post("hook") { request -> HTTPStatus in
                let count = posts.list.withLock { list in
                    list.append((request.headers, request.body.string ?? ""))
                    return list.count
                }
                return count <= failures ? .internalServerError : .ok
            }
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            port = try #require(app.http.server.shared.localAddress?.port)
        }

        var url: String { "http://127.0.0.1:\(port)/hook" }

        func stop() async throws {
            await app.server.shutdown()
            try await app.asyncShutdown()
        }
    }

    @Test func webhooksAreSignedRetriedWithBackoffAndDeadLettered() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z") { desk in
            let flaky = try await Receiver(failures: 2)
            let broken = try await Receiver(failures: 1000)
            do {
                let store = DeskStore(database: desk.app.db)
                // Logged before the webhooks exist: the `*` hook hears no `case.created` of it, only the alarms.
                let (caseID, _) = try await SLAMonitorTests.logPLMCase(desk)
                let hook = try await store.addWebhook(url: flaky.url, secret: "s3cret", events: ["sla.warning", "sla.breach"], at: desk.clock.now())
                _ = try await store.addWebhook(url: broken.url, secret: "other", events: ["*"], at: desk.clock.now())
                _ = try await store.addWebhook(url: broken.url, secret: "x", events: ["sla.breach"], at: desk.clock.now())
                let monitor = SLAMonitorTests.monitor(desk, retry: RetryPolicy(maxAttempts: 3, firstDelay: 30, maxDelay: 3600))

                // 10:30: the 75% warning goes to the two hooks that want warnings; both fail.
                let first = try await monitor.pass(at: SLAMonitorTests.at("2026-03-02T10:30:00Z"))
                #expect(try first.raised.alarms().map(\.kind) == ["warning-75"])
                #expect(first.dispatched == 1 && first.delivered == 0 && first.failed == 2)
                // Not yet due again 10 s later; due 30 s after the first failure, then 60 s after the second.
                #expect(try await monitor.deliver(at: SLAMonitorTests.at("2026-03-02T10:30:10Z")) == (0, 0))
                #expect(try await monitor.deliver(at: SLAMonitorTests.at("2026-03-02T10:30:30Z")) == (0, 2))
                #expect(try await monitor.deliver(at: SLAMonitorTests.at("2026-03-02T10:31:00Z")) == (0, 0))
                #expect(try await monitor.deliver(at: SLAMonitorTests.at("2026-03-02T10:31:30Z")) == (1, 1))
                #expect(try await monitor.deliver(at: SLAMonitorTests.at("2026-03-02T12:00:00Z")) == (0, 0), "the broken hook is dead-lettered")

                let deliveries = try await store.deliveries(caseID: UUID(uuidString: caseID))
                let delivered = try #require(deliveries.first { $0.target == hook.id.uuidString })
                #expect(delivered.state == "delivered" && delivered.attempts == 3)
                #expect(try await store.attempts(of: delivered.id).map(\.detail) == ["HTTP 500", "HTTP 500", "HTTP 200"])
                let dead = try #require(deliveries.first { $0.target != hook.id.uuidString })
                #expect(dead.state == "dead" && dead.attempts == 3 && dead.lastError == "HTTP 500")

                // The receiver can verify the signature: HMAC-SHA256 of "<t>.<body>" with the shared secret.
                let post = try #require(flaky.posts.last)
                #expect(post.headers.first(name: "Accord-Event") == "sla.warning")
                #expect(post.headers.first(name: "Accord-Delivery") == delivered.id.uuidString)
                let signature = try #require(post.headers.first(name: "Accord-Signature"))
                let parts = Dictionary(uniqueKeysWithValues: signature.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }.map { ($0[0], $0[1]) })
                let mac = HMAC<SHA256>.authenticationCode(for: Data("\(parts["t"] ?? "").\(post.body)".utf8), using: SymmetricKey(data: Data("s3cret".utf8)))
                #expect(parts["v1"] == mac.map { String(format: "%02x", $0) }.joined())
                #expect(parts["t"] == String(Int(SLAMonitorTests.at("2026-03-02T10:31:30Z").timeIntervalSince1970)))
                let body = try #require(try JSONSerialization.jsonObject(with: Data(post.body.utf8)) as? [String: Any])
                let data = try #require(body["data"] as? [String: Any])
                #expect(body["event"] as? String == "sla.warning")
                #expect(data["caseID"] as? String == caseID && data["kind"] as? String == "warning-75" && data["alarmAt"] as? String == "2026-03-02T10:30:00Z"
                        && data["clockDue"] as? String == "2026-03-02T11:00:00Z")
            } catch {
                try? await flaky.stop()
                try? await broken.stop()
                throw error
            }
            try await flaky.stop()
            try await broken.stop()
        }
    }

    static func aiosmtpdAvailable() async -> Bool {
        (try? await ChildProcess.run(command: "python3", ["-c", "import aiosmtpd"]).status) == 0
    }

    /// A stand-in `sendmail` in a folder of its own: a shell script running `commands`, where
    /// `SPOOL` names the file the mails are kept in. The caller removes `directory`.
    static func sendmail(_ commands: String) throws -> (directory: URL, script: URL, spool: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-sendmail-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = directory.appendingPathComponent("sendmail")
        let spool = directory.appendingPathComponent("spool")
        try "#!/bin/sh\n\(commands.replacingOccurrences(of: "SPOOL", with: spool.path))\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return (directory, script, spool)
    }

    static func waitUntilListening(port: Int) async throws {
        for _ in 0..<100 {
            if let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get() {
                try await channel.close()
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("aiosmtpd did not listen on port \(port)")
    }

    /// The staff's alert mail through a real SMTP server: aiosmtpd writes what it receives into a
    /// Maildir, and the test reads the message back. CI installs aiosmtpd; elsewhere the test runs
    /// when it is there.
    @Test(.enabled { await aiosmtpdAvailable() || ProcessInfo.processInfo.environment["CI"] == "true" })
    func warningMailReachesARealSMTPServer() async throws {
        let maildir = FileManager.default.temporaryDirectory.appendingPathComponent("accord-maildir-\(UUID())")
        let port = TestPorts.next()
        let server = try await BackgroundProcess.start("/usr/bin/env", ["python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir.path])
        defer { try? FileManager.default.removeItem(at: maildir) }
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z") { desk in
            let lead = try await desk.call(.POST, "/api/v1/staff", token: desk.adminToken,
                                           body: #"{"name":"Lea Lead","email":"lead@provider.test","role":"manager"}"#)
            #expect(lead.status == .created)
            _ = try await SLAMonitorTests.logPLMCase(desk)
            let monitor = SLAMonitorTests.monitor(desk, mail: .smtp(SMTPRelay(host: "127.0.0.1", port: port)))
            try await Self.waitUntilListening(port: port)
            let report = try await monitor.pass(at: SLAMonitorTests.at("2026-03-02T10:30:00Z"))
            #expect(report.delivered == 1)
            let files = try FileManager.default.contentsOfDirectory(at: maildir.appendingPathComponent("new"), includingPropertiesForKeys: nil)
            #expect(files.count == 1)
            let mail = try String(contentsOf: try #require(files.first), encoding: .utf8)
            #expect(mail.contains("From: Accord Desk <desk@provider.test>"))
            #expect(mail.contains("To: lead@provider.test"))
            // The subject has an em dash, so it travels encoded per RFC 2047.
            let subject = "[Accord] PLM-2026-000001: initial-response at 75% — due 2026-03-02T11:00:00Z"
            #expect(mail.contains("Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?="))
            #expect(mail.contains("Auto-Submitted: auto-generated"))
            #expect(mail.contains("has used 75% of its budget"))
            #expect(mail.contains("It is due at 2026-03-02T11:00:00Z"))
        }
        // aiosmtpd shuts down slowly on SIGTERM, if at all.
        try await server.stop(SIGKILL)
    }

    @Test func warningMailThroughASendmailCommandUsesAnEditedTemplate() async throws {
        let (directory, script, spool) = try Self.sendmail("echo \"$@\" > SPOOL.args\ncat > SPOOL")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z") { desk in
            _ = try await desk.call(.POST, "/api/v1/staff", token: desk.adminToken,
                                    body: #"{"name":"Lea Lead","email":"lead@provider.test","role":"manager"}"#)
            let store = DeskStore(database: desk.app.db)
            let admin = try #require(try await store.person(email: "admin@localhost"))
            try await store.saveTemplate("sla.warning", subject: "Heads up: {{case.number}} {{alarm}}", body: "Due {{due}}; {{unknown}} stays.",
                                         by: admin.id, at: desk.clock.now())
            _ = try await SLAMonitorTests.logPLMCase(desk)
            let report = try await SLAMonitorTests.monitor(desk, mail: .sendmail(path: script.path)).pass(at: SLAMonitorTests.at("2026-03-02T10:30:00Z"))
            #expect(report.delivered == 1)
            let mail = try String(contentsOf: spool, encoding: .utf8)
            #expect(mail.contains("Subject: Heads up: PLM-2026-000001 75%\n"))
            #expect(mail.contains("Due 2026-03-02T11:00:00Z; {{unknown}} stays."))
            #expect(try String(contentsOf: URL(fileURLWithPath: spool.path + ".args"), encoding: .utf8) == "-t -i -f desk@provider.test\n")
        }
    }

    /// Warnings go to the case's assignee and its team's leads, held to the team's working hours;
    /// the breach is never held.
    @Test func assigneeAndLeadGetWarningsInTheirTeamsHoursAndBreachesAtOnce() async throws {
        let (directory, script, spool) = try Self.sendmail("cat >> SPOOL")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Monday 23 November 2026, 09:00 CST: 24 Tier 1 hours (07-19) end Wednesday 09:00 CST; 90% is Tuesday 18:36 CST,
        // after Tier 2 (09-17) has gone home.
        try await DeskHarness.run(at: "2026-11-23T15:00:00Z") { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "HLD")
            let user = try await desk.person(in: org, email: "hal@hold.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Down","description":"Down","channel":"web"}"#)
            #expect(desk.clock(logged)?["due"] as? String == "2026-11-25T15:00:00Z")
            let agent = try await WorkDeskTests.staff(desk, "tier1@provider.test")
            let specialist = try await WorkDeskTests.staff(desk, "sam@provider.test", tier: 2)
            let lead = try await WorkDeskTests.staff(desk, "lee@provider.test", tier: 2)
            #expect(try await WorkDeskTests.join(desk, "pro-plus.tier-2", specialist.id).status == .ok)
            #expect(try await WorkDeskTests.join(desk, "pro-plus.tier-2", lead.id, body: #"{"lead":true}"#).status == .ok)
            desk.set("2026-11-23T16:00:00Z")
            let escalated = try await desk.call(.POST, "/api/v1/cases/\(try #require(logged.string["id"]))/escalations", token: agent.token,
                                                body: #"{"tier":2,"reason":"specialist"}"#)
            #expect(escalated.status == .created)
            #expect(try await desk.call(.POST, "/api/v1/take-next", token: specialist.token).status == .ok)

            let monitor = try await SLAMonitorTests.monitor(desk, mail: .sendmail(path: script.path)).readingPolicies(at: desk.clock.now())
            let store = DeskStore(database: desk.app.db)
            // 75% on Tuesday 15:00 CST: Tier 2 is at work, both mails go at once.
            let warning = try await monitor.pass(at: SLAMonitorTests.at("2026-11-24T21:00:00Z"))
            #expect(try warning.raised.alarms().map(\.kind) == ["warning-75"] && warning.delivered == 2)
            // 90% on Tuesday 18:36 CST: held until Tier 2 opens on Wednesday 09:00 CST.
            let late = try await monitor.pass(at: SLAMonitorTests.at("2026-11-25T00:36:00Z"))
            #expect(try late.raised.alarms().map(\.kind) == ["warning-90"] && late.delivered == 0 && late.failed == 0)
            let held = try await store.deliveries(state: "pending")
            #expect(Set(held.map(\.target)) == ["sam@provider.test", "lee@provider.test"])
            for delivery in held {
                #expect(try await store.attempts(of: delivery.id).map(\.detail) == ["held to pro-plus.tier-2's working hours until 2026-11-25T15:00:00Z"])
            }
            // Wednesday 09:00 CST, when Tier 2 opens, is also the breach: the held 90% warning is no
            // longer true and is dropped as superseded; only the breach goes.
            let breach = try await monitor.pass(at: SLAMonitorTests.at("2026-11-25T15:00:00Z"))
            #expect(try breach.raised.alarms().map(\.kind) == ["breach"] && breach.delivered == 2)
            let superseded = try await store.deliveries(state: "superseded")
            #expect(Set(superseded.map(\.target)) == ["sam@provider.test", "lee@provider.test"])
            for delivery in superseded {
                let details = try await store.attempts(of: delivery.id).map(\.detail)
                #expect(details.count == 2 && details[1].hasPrefix("superseded: the initial-response clock reached its due at 2026-11-25T15:00:00Z"))
            }
            let mails = try String(contentsOf: spool, encoding: .utf8)
            #expect(mails.components(separatedBy: "To: sam@provider.test").count == 3, "75% and the breach, never the stale 90%")
            #expect(!mails.contains("tier1@provider.test"), "the escalating agent is neither assignee nor lead")
        }
    }

    /// After downtime the pass catches up with a warning and the breach at once: the webhook hears
    /// both (each with its instant), but nobody is mailed a warning for a clock already breached.
    @Test func catchingUpMailsTheBreachNotTheWarningsItSuperseded() async throws {
        let (directory, script, spool) = try Self.sendmail("cat >> SPOOL")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z") { desk in
            _ = try await WorkDeskTests.staff(desk, "mona@provider.test", role: "manager", tier: nil)
            _ = try await SLAMonitorTests.logPLMCase(desk)
            let monitor = try await SLAMonitorTests.monitor(desk, mail: .sendmail(path: script.path)).readingPolicies(at: desk.clock.now())
            // Down from 09:00 until 11:05: 75% (10:30), 90% (10:48) and the breach (11:00) all fell due.
            let report = try await monitor.pass(at: SLAMonitorTests.at("2026-03-02T11:05:00Z"))
            #expect(try report.raised.alarms().map(\.kind) == ["warning-75", "warning-90", "breach"])
            #expect(report.delivered == 1)
            let store = DeskStore(database: desk.app.db)
            #expect(try await store.deliveries(state: "superseded").count == 2)
            let mails = try String(contentsOf: spool, encoding: .utf8)
            #expect(mails.components(separatedBy: "To: mona@provider.test").count == 2, "one mail: the breach")
        }
    }
}
