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

    /// An administrator writes texts per policy and language; each mail takes the most fitting:
    /// that policy in the case's language, that policy, that language, then the text for all.
    @Test(arguments: TestDatabase.all) func templatesPerPolicyAndLanguageWriteEachMailInItsCasesWords(_ database: TestDatabase) async throws {
        let spool = try LateNoticeTests.Spool()
        defer { try? FileManager.default.removeItem(at: spool.directory) }
        try await DeskHarness.run(at: "2026-03-03T09:00:00Z", on: database, configure: { $0.customerMail = true }) { desk in
            func put(_ query: String, subject: String, body: String = "Case {{case.number}}: by {{response.due}}.") async throws -> DeskHarness.Reply {
                try await desk.call(.PUT, "/api/v1/templates/customer.acknowledgement" + query, token: desk.adminToken,
                                    body: #"{"subject":"\#(subject)","body":"\#(body)"}"#)
            }
            #expect(try await put("", subject: "ALL {{case.number}}").status == .ok)
            #expect(try await put("?language=da", subject: "Tak {{case.number}}", body: "Vi svarer senest {{response.due}}.").status == .ok)
            let plm = try await put("?policy=plm-group", subject: "PLM {{case.number}}")
            #expect(plm.status == .ok && plm.string["policy"] == "plm-group" && plm["language"] == nil, "\(plm.json)")
            let norwegian = try await put("?policy=plm-group&language=NO", subject: "PLM norsk {{case.number}}")
            #expect(norwegian.string["language"] == "no", "a language tag is kept lowercase: \(norwegian.json)")

            // Refused: a policy the desk does not have, a language that is no tag, an unknown placeholder,
            // an unknown parameter, a variant that was never written.
            let noPolicy = try await put("?policy=plm", subject: "x")
            #expect(noPolicy.status == .unprocessableEntity && noPolicy.string["field"] == "policy" && noPolicy.string["detail"]?.contains("plm-group") == true, "\(noPolicy.json)")
            let noTag = try await put("?language=Dansk%21", subject: "x")
            #expect(noTag.status == .unprocessableEntity && noTag.string["field"] == "language", "\(noTag.json)")
            let placeholder = try await put("?language=da", subject: "{{case.numbr}}")
            #expect(placeholder.status == .unprocessableEntity && placeholder.string["field"] == "subject")
            #expect(try await put("?lang=da", subject: "x").status == .badRequest)
            let never = try await desk.call(.DELETE, "/api/v1/templates/customer.acknowledgement?language=fr", token: desk.adminToken)
            #expect(never.status == .notFound && never.string["detail"]?.contains("every policy in 'fr'") == true, "\(never.json)")
            let listed = try await desk.list("/api/v1/templates", token: desk.adminToken).filter { $0["name"] as? String == "customer.acknowledgement" }
            #expect(listed.map { [$0["policy"] as? String ?? "*", $0["language"] as? String ?? "*"] } == [["*", "*"], ["*", "da"], ["plm-group", "*"], ["plm-group", "no"]],
                    "the text for all, then its variants: \(listed)")

            let gateway = try await desk.mailGatewayToken()
            let denmark = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "DK")
            _ = try await desk.person(in: denmark, email: "dorte@dk.test", role: "user")
            let norway = try await desk.organization("plm-group", plan: "premium", region: "norway", prefix: "NO")
            _ = try await desk.person(in: norway, email: "ola@no.test", role: "user")
            let pro = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "PRO")
            _ = try await desk.person(in: pro, email: "pat@pro.test", role: "user")
            func deliver(_ from: String, to mailbox: String) async throws -> String {
                let reply = try await desk.deliver(DeskHarness.mail(from: from, to: mailbox, subject: "Help", body: "Please."), to: mailbox, token: gateway)
                return try #require(reply.string["case"], "\(reply.json)")
            }
            let danish = try await deliver("dorte@dk.test", to: "support@plmgroup.dk")
            let norse = try await deliver("ola@no.test", to: "support@plmgroup.no")
            let english = try await deliver("pat@pro.test", to: "support@proplus.test")
            let monitor = try await SLAMonitorTests.monitor(desk, mail: .sendmail(path: spool.script.path)).readingPolicies(at: desk.clock.now())
            _ = try await monitor.pass(at: desk.clock.now())
            func subject(to address: String) -> String? { spool.messages(to: address).last.flatMap { Self.header("Subject", $0) } }
            #expect(subject(to: "ola@no.test") == "PLM norsk \(norse)", "plm-group in Norwegian, the case's language")
            #expect(subject(to: "dorte@dk.test") == "PLM \(danish)", "plm-group's own text comes before the Danish text for all policies")
            #expect(subject(to: "pat@pro.test") == "ALL \(english)", "no text for pro-plus or English: the text for all")

            // plm-group's own English text removed: a Danish case now gets the Danish text for all policies.
            let removed = try await desk.call(.DELETE, "/api/v1/templates/customer.acknowledgement?policy=plm-group", token: desk.adminToken)
            #expect(removed.status == .ok && removed.string["subject"] == "ALL {{case.number}}", "what now applies to plm-group in every language: \(removed.json)")
            let second = try await deliver("dorte@dk.test", to: "support@plmgroup.dk")
            _ = try await monitor.pass(at: desk.clock.now())
            let tak = try #require(spool.messages(to: "dorte@dk.test").first { Self.header("Subject", $0) == "Tak \(second)" }, "\(spool.messages)")
            // Premium medium: 8 business hours of Denmark's split shifts from Tuesday 10:00 CET: Wednesday 11:00 —
            // written in Danish, as the text around it is (a text for every language has it in English).
            #expect(MessageContent(MailMessage(parsing: Array(tak.utf8))).text.contains("Vi svarer senest onsdag den 4. marts 2026 kl. 11.00 CET."))
            let plmText = try #require(spool.messages(to: "dorte@dk.test").first { Self.header("Subject", $0) == "PLM \(danish)" })
            #expect(MessageContent(MailMessage(parsing: Array(plmText.utf8))).text.contains("by Wednesday 4 March 2026 11:00 CET."))
        }
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
