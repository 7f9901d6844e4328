import AccordMail
import AccordServer
import AccordStore
import Foundation
import Testing

/// Mail to the customer's side, through the outbox: the acknowledgement of a case by mail with the
/// promised first response, public replies, status changes — each with the case tag, a signed
/// Message-ID answering the customer's mail, Reply-To the mailbox; and the customer's answer to it
/// threads back into the case by that Message-ID alone.
@Suite(.serialized) struct MailOutboundTests {
    /// The message's header field `name` (unfolded), from a spooled message.
    static func header(_ name: String, _ message: String) -> String? {
        MessageHeaders(parsing: Array(message.utf8)).text(name)
    }

    @Test(arguments: TestDatabase.all) func acknowledgementRepliesAndTheirAnswersThread(_ database: TestDatabase) async throws {
        let spool = try LateNoticeTests.Spool()
        defer { try? FileManager.default.removeItem(at: spool.directory) }
        // Tuesday 3 March 2026, 10:00 CET.
        try await DeskHarness.run(at: "2026-03-03T09:00:00Z", on: database, configure: { $0.customerMail = true }) { desk in
            let plm = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "OUT")
            _ = try await desk.person(in: plm, email: "anna@out.test", role: "user")
            let agent = try await WorkDeskTests.staff(desk, "agent@provider.test")
            let gateway = try await desk.mailGatewayToken()
            let first = try await desk.deliver(DeskHarness.mail(from: "Anna <anna@out.test>", to: "support@plmgroup.dk", cc: "boss@out.test",
                                                                subject: "Plotter driver", body: "It fails.", messageID: "<m1@out.test>"),
                                               to: "support@plmgroup.dk", token: gateway, acceptedAt: "2026-03-03T09:00:00Z")
            let number = try #require(first.string["case"])
            let caseID = try #require(first.string["caseID"])
            let monitor = try await SLAMonitorTests.monitor(desk, mail: .sendmail(path: spool.script.path)).readingPolicies(at: desk.clock.now())
            _ = try await monitor.pass(at: desk.clock.now())

            // The acknowledgement: to the requester and the CC'd address, answering the customer's mail.
            for address in ["anna@out.test", "boss@out.test"] {
                let ack = try #require(spool.messages(to: address).first, "\(address): \(spool.messages)")
                #expect(Self.header("Subject", ack) == "[\(number)] Plotter driver")
                #expect(Self.header("In-Reply-To", ack) == "<m1@out.test>" && Self.header("References", ack) == "<m1@out.test>")
                #expect(Self.header("Reply-To", ack)?.contains("support@plmgroup.dk") == true)
                #expect(Self.header("Auto-Submitted", ack) == "auto-replied")
                #expect(Self.header("X-Accord-Loop", ack) == "provider.test")
                #expect(Self.header("Message-ID", ack)?.hasPrefix("<accord.") == true)
                let content = MessageContent(MailMessage(parsing: Array(ack.utf8)))
                #expect(content.html != nil, "a text and an HTML part")
                // Premium medium: 8 business hours of Denmark's split shifts (08–12, 13–16) from Tuesday 10:00 CET: Wednesday 11:00.
                #expect(content.text.contains("Our contract promises a first response by Wednesday 4 March 2026 11:00"), "\(content.text)")
                #expect(content.text.contains("8 business hours (Denmark)"), "\(content.text)")
                #expect(content.text.hasPrefix(ReplyText.replyAboveMarker))
            }
            #expect(spool.messages(to: "agent@provider.test").isEmpty)

            // A public reply goes out the same way; an internal note never does.
            _ = try await desk.call(.POST, "/api/v1/cases/\(caseID)/events", token: agent.token, body: #"{"kind":"internal-note","body":"secret"}"#)
            desk.set("2026-03-03T10:00:00Z")
            let replied = try await desk.call(.POST, "/api/v1/cases/\(caseID)/events", token: agent.token,
                                              body: #"{"kind":"public-reply","body":"Please install driver 4.2."}"#)
            #expect(replied.status == .created, "\(replied.json)")
            _ = try await monitor.pass(at: desk.clock.now())
            let reply = try #require(spool.messages(to: "anna@out.test").first { $0.contains("driver 4.2") })
            #expect(spool.messages.allSatisfy { !$0.contains("secret") })
            #expect(Self.header("Auto-Submitted", reply) == nil, "a person's reply")
            let replyID = try #require(Self.header("Message-ID", reply)).trimmingCharacters(in: CharacterSet(charactersIn: "<>"))

            // Anna answers from her phone: no tag in the subject, only In-Reply-To — it threads by the signed id.
            let answer = try await desk.deliver(DeskHarness.mail(from: "anna@out.test", subject: "Re: your mail", body: "Installed, works.\n\n> Please install",
                                                                 headers: ["In-Reply-To: <\(replyID)>"]), to: "support@plmgroup.dk", token: gateway)
            #expect(answer.string["outcome"] == "reply-added" && answer.string["caseID"] == caseID, "\(answer.json)")
            // An id that only looks like the desk's (a forged signature) threads nowhere.
            let forgedID = replyID.replacingOccurrences(of: #"\.[0-9a-f]{24}@"#, with: ".000000000000000000000000@", options: .regularExpression)
            #expect(forgedID != replyID)
            let forged = try await desk.deliver(DeskHarness.mail(from: "anna@out.test", subject: "Another thing", body: "New.",
                                                                 headers: ["In-Reply-To: <\(forgedID)>"]), to: "support@plmgroup.dk", token: gateway)
            #expect(forged.string["outcome"] == "case-created" && forged.string["caseID"] != caseID, "\(forged.json)")

            // Resolved: the customer's side hears of it.
            let etag = try await desk.call(.GET, "/api/v1/cases/\(caseID)", token: agent.token).headers.first(name: "ETag") ?? ""
            let resolved = try await desk.send(.POST, "/api/v1/cases/\(caseID)/events",
                                               headers: [("Authorization", "Bearer \(agent.token)"), ("Content-Type", "application/json"), ("If-Match", etag)],
                                               body: Data(#"{"kind":"status-change","value":"resolved","resolution":"fix"}"#.utf8))
            #expect(resolved.status == .created, "\(String(decoding: resolved.body, as: UTF8.self))")
            _ = try await monitor.pass(at: desk.clock.now())
            #expect(spool.messages(to: "anna@out.test").contains { Self.header("Subject", $0) == "[\(number)] Plotter driver — resolved (fixed)" }, "\(spool.messages(to: "anna@out.test").map { Self.header("Subject", $0) ?? "" })")
        }
    }
}
