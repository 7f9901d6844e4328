import AccordMail
import AccordServer
import AccordStore
import Foundation
import Testing

/// What the sender of a message the desk did not log is told — once, with the reason, in answer
/// to their message and marked so no mailer or desk answers it; the automatic replies one address
/// gets in a day, limited; a mail loop that ends; and the addresses bounces say fail.
@Suite(.serialized) struct MailSenderRepliesTests {
    static func header(_ name: String, _ message: String) -> String? { MailOutboundTests.header(name, message) }

    @Test(arguments: TestDatabase.all) func refusedAndOversizedSendersAreToldOnceWithTheReason(_ database: TestDatabase) async throws {
        let spool = try LateNoticeTests.Spool()
        defer { try? FileManager.default.removeItem(at: spool.directory) }
        try await DeskHarness.run(at: "2026-11-24T15:00:00Z", on: database, configure: { $0.customerMail = true; $0.mail.maxMessageSize = 4096 }) { desk in
            let gateway = try await desk.mailGatewayToken()
            let plex = try await desk.organization("plex", plan: "gold", prefix: "PLX")
            _ = try await desk.person(in: plex, email: "ac@plx.test", role: "authorized-contact")
            let plixer = try await desk.organization("plixer", plan: "standard", prefix: "PLI")
            _ = try await desk.person(in: plixer, email: "known@pli.test", role: "user")

            // Plex by mail: refused, and the contact is told how to log it.
            let plexMail = DeskHarness.mail(from: "Al Contact <ac@plx.test>", to: "support@plex.test", subject: "ERP slow", body: "P2", messageID: "<erp-1@plx.test>")
            let refused = try await desk.deliver(plexMail, to: "support@plex.test", token: gateway)
            #expect(refused.string["outcome"] == "refused", "\(refused.json)")
            // A stranger to Plixer: refused, and told to ask to be added.
            let stranger = try await desk.deliver(DeskHarness.mail(from: "new@pli.test", to: "support@plixer.test", subject: "Hi", body: "x", messageID: "<hi-1@pli.test>"),
                                                  to: "support@plixer.test", token: gateway)
            #expect(stranger.string["outcome"] == "refused")
            // Too large: quarantined for an administrator, and the sender told.
            let big = DeskHarness.mail(from: "known@pli.test", to: "support@plixer.test", subject: "Logs", body: String(repeating: "log line 0123456789\n", count: 400),
                                       messageID: "<logs-1@pli.test>")
            let oversized = try await desk.deliver(big, to: "support@plixer.test", token: gateway)
            #expect(oversized.string["outcome"] == "quarantined", "\(oversized.json)")
            // Machine mail is never answered, refused or not.
            let away = try await desk.deliver(DeskHarness.mail(from: "robot@nowhere.test", to: "support@plixer.test", subject: "Out of office", body: "Away.",
                                                               headers: ["Auto-Submitted: auto-replied"]), to: "support@plixer.test", token: gateway)
            #expect(away.string["outcome"] == "auto-reply-recorded")

            let monitor = try await SLAMonitorTests.monitor(desk, mail: .sendmail(path: spool.script.path)).readingPolicies(at: desk.clock.now())
            _ = try await monitor.pass(at: desk.clock.now())
            let toPlex = spool.messages(to: "ac@plx.test")
            #expect(toPlex.count == 1, "\(spool.messages)")
            let answer = toPlex.first ?? ""
            #expect(Self.header("Subject", answer) == "Not logged: ERP slow")
            #expect(Self.header("In-Reply-To", answer) == "<erp-1@plx.test>" && Self.header("References", answer) == "<erp-1@plx.test>")
            #expect(Self.header("Auto-Submitted", answer) == "auto-replied")
            #expect(Self.header("X-Accord-Loop", answer) == "provider.test")
            let text = MessageContent(MailMessage(parsing: Array(answer.utf8))).text
            #expect(text.contains("Your message \"ERP slow\" reached our support desk, but it was not logged as a case"), "\(text)")
            #expect(text.contains("takes no cases by email") && text.contains("P2, P3, P4 cases via web"), "\(text)")
            let toStranger = spool.messages(to: "new@pli.test")
            #expect(toStranger.count == 1 && MessageContent(MailMessage(parsing: Array((toStranger.first ?? "").utf8))).text.contains("new@pli.test is not registered with the desk"))
            let toKnown = spool.messages(to: "known@pli.test")
            #expect(toKnown.count == 1)
            let tooLarge = MessageContent(MailMessage(parsing: Array((toKnown.first ?? "").utf8))).text
            #expect(tooLarge.contains("The message is 8 KB, more than the 4 KB the desk takes by mail."), "\(tooLarge)")
            #expect(tooLarge.contains("send the files through the support portal, or in smaller mails"))
            #expect(spool.messages(to: "robot@nowhere.test").isEmpty)

            // The same delivery again, or an administrator's retry of the quarantined one: nothing more to the sender.
            #expect(try await desk.deliver(plexMail, to: "support@plex.test", token: gateway).string["outcome"] == "duplicate")
            let retried = try await desk.call(.POST, "/api/v1/mail/quarantine/\(oversized.string["message"]!)/retry", token: desk.adminToken)
            #expect(retried.string["outcome"] == "quarantined", "\(retried.json)")
            _ = try await monitor.pass(at: desk.clock.now())
            #expect(spool.messages.count == 3, "\(spool.messages.count)")

            // The desk's own answer coming back (a loop through a forwarding rule, or another desk's
            // refusal of it) is machine mail: recorded, never answered.
            let loop = try await desk.deliver(answer, to: "support@plex.test", token: gateway)
            #expect(loop.string["outcome"] == "auto-reply-recorded", "\(loop.json)")
            _ = try await monitor.pass(at: desk.clock.now())
            #expect(spool.messages.count == 3)
        }
    }

    /// A refusal is written in the policy and language of the mailbox the message went to.
    @Test func aRefusalSpeaksTheLanguageOfTheMailboxWrittenTo() async throws {
        let spool = try LateNoticeTests.Spool()
        defer { try? FileManager.default.removeItem(at: spool.directory) }
        try await DeskHarness.run(at: "2026-11-24T15:00:00Z", configure: { $0.customerMail = true }) { desk in
            let danish = try await desk.call(.PUT, "/api/v1/templates/mail.refusal?policy=plm-group&language=da", token: desk.adminToken,
                                             body: #"{"subject":"Ikke oprettet: {{subject}}","body":"Din besked blev ikke oprettet som sag: {{reason}}"}"#)
            #expect(danish.status == .ok, "\(danish.json)")
            let gateway = try await desk.mailGatewayToken()
            // Nobody at unknown.test is a PLM customer's: refused, in Danish at the Danish address, in the built-in English at the Swedish one.
            for (address, mailbox) in [("ny@unknown.test", "support@plmgroup.dk"), ("ny@unknown2.test", "support@plmgroup.se")] {
                let refused = try await desk.deliver(DeskHarness.mail(from: address, to: mailbox, subject: "Licens", body: "Hjælp"), to: mailbox, token: gateway)
                #expect(refused.string["outcome"] == "refused", "\(refused.json)")
            }
            let monitor = try await SLAMonitorTests.monitor(desk, mail: .sendmail(path: spool.script.path)).readingPolicies(at: desk.clock.now())
            _ = try await monitor.pass(at: desk.clock.now())
            #expect(spool.messages(to: "ny@unknown.test").first.flatMap { Self.header("Subject", $0) } == "Ikke oprettet: Licens", "\(spool.messages)")
            #expect(spool.messages(to: "ny@unknown2.test").first.flatMap { Self.header("Subject", $0) } == "Not logged: Licens", "\(spool.messages)")
        }
    }

    @Test func withoutMailToCustomersNobodyIsTold() async throws {
        try await DeskHarness.run(at: "2026-11-24T15:00:00Z", configure: { $0.customerMail = false }) { desk in
            let gateway = try await desk.mailGatewayToken()
            let plixer = try await desk.organization("plixer", plan: "standard", prefix: "PLI")
            _ = try await desk.person(in: plixer, email: "known@pli.test", role: "user")
            let stranger = try await desk.deliver(DeskHarness.mail(from: "new@pli.test", to: "support@plixer.test", subject: "Hi", body: "x"),
                                                  to: "support@plixer.test", token: gateway)
            #expect(stranger.string["outcome"] == "refused")
            #expect((try await DeskStore(database: desk.app.db).deliveries()).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all) func automaticRepliesToOneAddressAreLimitedPerDay(_ database: TestDatabase) async throws {
        let spool = try LateNoticeTests.Spool()
        defer { try? FileManager.default.removeItem(at: spool.directory) }
        try await DeskHarness.run(at: "2026-11-24T15:00:00Z", on: database, configure: { $0.customerMail = true }) { desk in
            let gateway = try await desk.mailGatewayToken()
            let plixer = try await desk.organization("plixer", plan: "standard", prefix: "PLI")
            _ = try await desk.person(in: plixer, email: "known@pli.test", role: "user")
            // A robot that answers everything and marks nothing as automatic: 12 messages in a row.
            for n in 1...12 {
                let sent = try await desk.deliver(DeskHarness.mail(from: "robot@pli.test", to: "support@plixer.test", subject: "Ticket \(n)", body: "x"),
                                                  to: "support@plixer.test", token: gateway)
                #expect(sent.string["outcome"] == "refused")
            }
            let monitor = try await SLAMonitorTests.monitor(desk, mail: .sendmail(path: spool.script.path)).readingPolicies(at: desk.clock.now())
            _ = try await monitor.pass(at: desk.clock.now())
            #expect(spool.messages(to: "robot@pli.test").count == 10, "the default limit: 10 in 24 hours")
            let store = DeskStore(database: desk.app.db)
            let superseded = try await store.deliveries(state: "superseded")
            #expect(superseded.count == 2 && superseded.allSatisfy { $0.target == "robot@pli.test" })
            let attempts = try await store.attempts(of: try #require(superseded.first).id)
            #expect(attempts.first?.detail.contains("not sent: 10 automatic replies went to robot@pli.test in the last 24 hours") == true, "\(attempts)")
            // A day later the address is answered again.
            desk.set("2026-11-25T15:30:00Z")
            _ = try await desk.deliver(DeskHarness.mail(from: "robot@pli.test", to: "support@plixer.test", subject: "Ticket 13", body: "x"),
                                       to: "support@plixer.test", token: gateway)
            _ = try await monitor.pass(at: desk.clock.now())
            #expect(spool.messages(to: "robot@pli.test").count == 11)
        }
    }

    /// A mail server's report of a message it could not deliver: the recipient marked failing, the
    /// report tied to its case by the desk's signed Message-ID of the returned message — never by a
    /// case tag alone, which anyone can write.
    @Test(arguments: TestDatabase.all) func bouncesMarkTheFailingAddressUntilItWritesAgain(_ database: TestDatabase) async throws {
        let spool = try LateNoticeTests.Spool()
        defer { try? FileManager.default.removeItem(at: spool.directory) }
        try await DeskHarness.run(at: "2026-03-03T09:05:00Z", on: database, configure: { $0.customerMail = true }) { desk in
            let plm = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "BOU")
            let anna = try await desk.person(in: plm, email: "anna@bou.test", role: "user")
            _ = try await desk.person(in: plm, email: "gone@bou.test", role: "user")
            let gateway = try await desk.mailGatewayToken()
            let first = try await desk.deliver(DeskHarness.mail(from: "anna@bou.test", cc: "gone@bou.test", subject: "Down", body: "x"), to: "support@plmgroup.dk", token: gateway)
            let number = try #require(first.string["case"])
            let monitor = try await SLAMonitorTests.monitor(desk, mail: .sendmail(path: spool.script.path)).readingPolicies(at: desk.clock.now())
            _ = try await monitor.pass(at: desk.clock.now())
            let acknowledgement = try #require(spool.messages(to: "gone@bou.test").first)
            let returnedID = try #require(Self.header("Message-ID", acknowledgement))
            func report(_ headers: String, note: String = "Delivery failed.") -> String {
                """
                From: MAILER-DAEMON@mx.bou.test
                To: support@plmgroup.dk
                Subject: Undelivered Mail Returned to Sender
                Content-Type: multipart/report; report-type=delivery-status; boundary=r

                --r

                \(note)
                --r
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.bou.test

                Final-Recipient: rfc822; gone@bou.test
                Action: failed
                --r
                Content-Type: text/rfc822-headers

                \(headers)
                --r--
                """
            }
            // Only a tag, as anyone could write: recorded and the address marked, but no case touched.
            let forged = try await desk.deliver(report("Subject: [\(number)] Down\nMessage-ID: <made-up@bou.test>"), to: "support@plmgroup.dk", token: gateway)
            #expect(forged.string["outcome"] == "bounce-recorded" && forged.string["caseID"] == nil, "\(forged.json)")
            let bounce = report("From: PLM Support <support@plmgroup.dk>\nTo: gone@bou.test\nSubject: [\(number)] Down\nMessage-ID: \(returnedID)", note: "Delivery failed, really.")
            let bounced = try await desk.deliver(bounce, to: "support@plmgroup.dk", token: gateway)
            #expect(bounced.string["outcome"] == "bounce-recorded" && bounced.string["caseID"] == first.string["caseID"], "\(bounced.json)")
            let notes = (try await desk.call(.GET, "/api/v1/cases/\(first.string["caseID"]!)", token: desk.adminToken)["events"] as? [[String: Any]] ?? [])
                .filter { ($0["body"] as? String)?.contains("could not be delivered") == true }
            #expect(notes.count == 1 && notes.first?["kind"] as? String == "internal-note", "\(notes)")
            #expect(try await desk.call(.GET, "/api/v1/mail/failing-addresses", token: anna.token).status == .forbidden)
            let failing = try await desk.call(.GET, "/api/v1/mail/failing-addresses", token: desk.adminToken)
            let listed = failing["addresses"] as? [[String: Any]] ?? []
            #expect(listed.count == 1, "\(failing.json)")
            #expect(listed.first?["address"] as? String == "gone@bou.test" && listed.first?["bounces"] as? Int == 2)
            #expect(listed.first?["caseID"] as? String == first.string["caseID"] && listed.first?["message"] as? String == bounced.string["message"])
            #expect(listed.first?["since"] as? String == "2026-03-03T09:05:00Z")
            // Mail from the address clears it: it works.
            _ = try await desk.deliver(DeskHarness.mail(from: "gone@bou.test", subject: "Re: [\(number)] Down", body: "I am back."), to: "support@plmgroup.dk", token: gateway)
            #expect(((try await desk.call(.GET, "/api/v1/mail/failing-addresses", token: desk.adminToken))["addresses"] as? [[String: Any]])?.isEmpty == true)
            for bad in ["0", "1001", "x"] {
                #expect(try await desk.call(.GET, "/api/v1/mail/failing-addresses?limit=\(bad)", token: desk.adminToken).status == .badRequest)
            }
        }
    }
}
