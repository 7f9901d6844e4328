import AccordCore
import AccordServer
import AccordStore
import Foundation
import Testing

/// `POST /api/v1/mail/inbound`: mail becomes cases and replies by the API's own rules, on every
/// test database — stored first, idempotent, threaded only where the sender may write, refused
/// politely where the contract says so, quarantined (never lost) where it cannot be processed.
@Suite struct MailInboundTests {
    static func caseOf(_ desk: DeskHarness, _ reply: DeskHarness.Reply) async throws -> DeskHarness.Reply {
        let id = try #require(reply.string["caseID"], "\(reply.json)")
        return try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken)
    }

    @Test(arguments: TestDatabase.all) func aPLMCustomersMailBecomesACaseInTheMailboxsRegionOnce(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-03T09:05:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "standard", region: "norway", prefix: "MAIL")
            _ = try await desk.person(in: plm, email: "anna@mail.test", role: "user")
            let carl = try await desk.person(in: plm, email: "carl@mail.test", role: "user")
            let gateway = try await desk.mailGatewayToken()
            let raw = DeskHarness.mail(
                from: "Anna Berg <Anna@Mail.test>", to: "PLM Support <support@plmgroup.dk>", cc: "carl@mail.test, support@plmgroup.no, outside@example.com",
                subject: "=?utf-8?q?Fwd=3A_SOLIDWORKS_starter_ikke_p=C3=A5_pc?=",
                body: "It crashes at start.\n\nOn Mon, 2 Mar 2026 at 10:00, IT <it@mail.test> wrote:\n> old thread\n-- \nAnna\n")
            // The desk's mail server accepted it at 10:00 CET (its Received stamp, as the gateway
            // passes it on); the gateway hands it over five minutes later.
            let created = try await desk.deliver(raw, to: "support@plmgroup.dk", token: gateway, acceptedAt: "Tue, 3 Mar 2026 10:00:00 +0100 (CET)")
            #expect(created.status == .accepted, "\(created.json)")
            #expect(created.string["outcome"] == "case-created")
            #expect(created.string["case"]?.hasPrefix("MAIL-2026-") == true)
            #expect(created.string["detail"]?.contains("Phone number is required by PLM Group Support SLA") == true,
                    "the required information is asked for, the case still logged: \(created.json)")
            let supportCase = try await Self.caseOf(desk, created)
            #expect(supportCase.string["channel"] == "email")
            #expect(supportCase.string["region"] == "denmark", "support@plmgroup.dk serves Denmark, whatever the customer's own region")
            #expect(supportCase.string["priority"] == "medium", "the policy's email.default-priority")
            #expect(supportCase.string["title"] == "SOLIDWORKS starter ikke på pc", "encoded words read, the forward prefix gone")
            #expect(supportCase.string["description"] == "It crashes at start.", "quoted history and signature folded away")
            #expect(supportCase.string["loggedAt"] == "2026-03-03T09:00:00Z", "the clock starts when the desk's mail server accepted it")
            let watchers = (supportCase["watchers"] as? [[String: Any]])?.compactMap { $0["email"] as? String }.sorted()
            #expect(watchers == ["carl@mail.test", "outside@example.com"], "To and Cc copied, never the desk's own addresses")
            #expect(try await desk.call(.GET, "/api/v1/cases/\(created.string["caseID"]!)", token: carl.token).status == .ok)

            // The same bytes again (a delivery retried after a lost answer): one case.
            let again = try await desk.deliver(raw, to: "support@plmgroup.dk", token: gateway)
            #expect(again.status == .accepted && again.string["outcome"] == "duplicate" && again.string["caseID"] == created.string["caseID"], "\(again.json)")
            #expect(again.string["message"] == created.string["message"])
            let cases = try await desk.call(.GET, "/api/v1/cases", token: desk.adminToken)
            #expect((cases["items"] as? [Any])?.count == 1)

            // The Norwegian address also serves Iceland: a PLM customer there writes to it.
            let iceland = try await desk.organization("plm-group", plan: "standard", region: "iceland", prefix: "ICE")
            _ = try await desk.person(in: iceland, email: "olafur@ice.test", role: "user")
            let icelandic = try await desk.deliver(DeskHarness.mail(from: "olafur@ice.test", to: "support@plmgroup.no", subject: "Villa", body: "Hjálp"),
                                                   to: "support@plmgroup.no", token: gateway)
            #expect(try await Self.caseOf(desk, icelandic).string["region"] == "iceland", "\(icelandic.json)")

            // A sender cannot steer: without the envelope recipient, a Delivered-To or X-Original-To
            // written into the message is not read — the case is the customer's own region's.
            for field in ["Delivered-To", "X-Original-To"] {
                let steered = try await desk.deliver(DeskHarness.mail(from: "anna@mail.test", subject: "Steered by \(field)", body: "Route me to Denmark",
                                                                      headers: ["\(field): support@plmgroup.dk"]),
                                                     to: nil, token: gateway)
                #expect(steered.string["outcome"] == "case-created", "\(steered.json)")
                #expect(try await Self.caseOf(desk, steered).string["region"] == "norway", "\(field) chose the region: \(steered.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.all) func repliesThreadByMessageIDOrTagOnlyForWhoMaySeeTheCase(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-03T09:05:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "THR")
            _ = try await desk.person(in: plm, email: "anna@thr.test", role: "user")
            let other = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "OTH")
            _ = try await desk.person(in: other, email: "eve@oth.test", role: "user")
            let gateway = try await desk.mailGatewayToken()
            let first = try await desk.deliver(DeskHarness.mail(from: "anna@thr.test", subject: "Licence server down", body: "Down since 9.",
                                                                messageID: "<first@thr.test>"), to: "support@plmgroup.dk", token: gateway)
            let number = try #require(first.string["case"])
            let caseID = try #require(first.string["caseID"])

            // By In-Reply-To: the message the case came from.
            let byID = try await desk.deliver(DeskHarness.mail(from: "anna@thr.test", subject: "more", body: "Also the backup.\n\n> Down since 9.",
                                                               headers: ["In-Reply-To: <first@thr.test>"]), to: "support@plmgroup.dk", token: gateway)
            #expect(byID.string["outcome"] == "reply-added" && byID.string["caseID"] == caseID, "\(byID.json)")
            // By the case tag, in any language's reply prefix.
            let byTag = try await desk.deliver(DeskHarness.mail(from: "anna@thr.test", subject: "SV: AW: [\(number)] Licence server down", body: "Fixed?"),
                                               to: "support@plmgroup.dk", token: gateway)
            #expect(byTag.string["outcome"] == "reply-added" && byTag.string["caseID"] == caseID, "\(byTag.json)")
            let events = try await Self.caseOf(desk, byTag)["events"] as? [[String: Any]] ?? []
            #expect(events.filter { $0["kind"] as? String == "customer-message" }.compactMap { $0["body"] as? String } == ["Also the backup.", "Fixed?"])

            // A stranger copying the tag (or the Message-ID) never writes into the case: a case of their own.
            let forged = try await desk.deliver(DeskHarness.mail(from: "eve@oth.test", subject: "Re: [\(number)] Licence server down", body: "Let me in",
                                                                 headers: ["References: <first@thr.test>"]), to: "support@plmgroup.dk", token: gateway)
            #expect(forged.string["outcome"] == "case-created" && forged.string["caseID"] != caseID, "\(forged.json)")
            #expect(forged.string["case"]?.hasPrefix("OTH-") == true)
            let thread = try await desk.call(.GET, "/api/v1/cases/\(caseID)", token: desk.adminToken)
            #expect((thread["events"] as? [[String: Any]])?.contains { ($0["body"] as? String) == "Let me in" } == false)
        }
    }

    @Test(arguments: TestDatabase.all) func theContractsIntakeRulesApplyByMail(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-24T15:00:00Z", on: database, configure: { $0.mail.authservID = "mx.desk.test" }) { desk in
            let gateway = try await desk.mailGatewayToken()
            // Plex: P2-P4 online only, P1 by phone or online — no case by mail, and the answer says how.
            let plex = try await desk.organization("plex", plan: "gold", prefix: "PLX")
            _ = try await desk.person(in: plex, email: "ac@plx.test", role: "authorized-contact")
            let refused = try await desk.deliver(DeskHarness.mail(from: "ac@plx.test", to: "support@plex.test", subject: "ERP slow", body: "P2"),
                                                 to: "support@plex.test", token: gateway)
            #expect(refused.status == .accepted && refused.string["outcome"] == "refused", "\(refused.json)")
            #expect(refused.string["detail"]?.contains("takes no cases by email") == true)
            #expect(refused.string["detail"]?.contains("P2, P3, P4 cases via web") == true, "\(refused.json)")
            #expect(refused.string["caseID"] == nil)

            // Unknown senders: Plixer refuses them; PLM adds a colleague of a known customer by domain.
            let plixer = try await desk.organization("plixer", plan: "standard", prefix: "PLI")
            _ = try await desk.person(in: plixer, email: "known@pli.test", role: "user")
            let stranger = try await desk.deliver(DeskHarness.mail(from: "new@pli.test", to: "support@plixer.test", subject: "Hi", body: "x"),
                                                  to: "support@plixer.test", token: gateway)
            #expect(stranger.string["outcome"] == "refused" && stranger.string["detail"]?.contains("not registered") == true, "\(stranger.json)")
            let plm = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "DOM")
            _ = try await desk.person(in: plm, email: "known@dom.test", role: "user")
            let colleague = try await desk.deliver(DeskHarness.mail(from: "Nils Dahl <nils@dom.test>", subject: "Crash", body: "x"),
                                                   to: "support@plmgroup.dk", token: gateway)
            #expect(colleague.string["outcome"] == "case-created" && colleague.string["case"]?.hasPrefix("DOM-") == true, "\(colleague.json)")
            let people = try await desk.list("/api/v1/organizations/\(plm)/people", token: desk.adminToken)
            #expect(people.contains { $0["email"] as? String == "nils@dom.test" && $0["name"] as? String == "Nils Dahl" && $0["role"] as? String == "user" })

            // Pro Plus: a listed sender reaches the priority queue only when the desk's mail server confirmed them.
            let pro = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "PRO")
            let primary = try await desk.person(in: pro, email: "pat@acme.test", role: "user")
            #expect(try await desk.call(.PUT, "/api/v1/organizations/\(pro)/roles/primary-contact", token: desk.adminToken,
                                        body: #"{"person":"\#(primary.id)"}"#).status == .noContent)
            #expect(try await desk.call(.PUT, "/api/v1/organizations/\(pro)/priority-senders", token: primary.token, body: #"{"entries":["acme.test"]}"#).status == .ok)
            let confirmed = try await desk.deliver(DeskHarness.mail(from: "pat@acme.test", to: "help@proplus.test", subject: "Scanner", body: "x",
                                                                    headers: ["Authentication-Results: mx.desk.test; dmarc=pass header.from=acme.test"]),
                                                   to: "help@proplus.test", token: gateway)
            #expect((try await Self.caseOf(desk, confirmed)["work"] as? [String: Any])?["queue"] as? String == "priority", "\(confirmed.json)")
            let forged = try await desk.deliver(DeskHarness.mail(from: "pat@acme.test", to: "help@proplus.test", subject: "Printer", body: "y",
                                                                 headers: ["Authentication-Results: mx.evil.test; dmarc=pass header.from=acme.test"]),
                                                to: "help@proplus.test", token: gateway)
            let forgedCase = try await Self.caseOf(desk, forged)
            #expect((forgedCase["work"] as? [String: Any])?["queue"] as? String == "standard", "another server's word proves nothing")
            let routed = (forgedCase["events"] as? [[String: Any]])?.first { $0["kind"] as? String == "routed" }?["body"] as? String ?? ""
            #expect(routed.contains("did not confirm the sender"), "\(routed)")
        }
    }

    @Test(arguments: TestDatabase.all) func machineMailIsRecordedNeverAnswered(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-03T09:05:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "AUT")
            _ = try await desk.person(in: plm, email: "anna@aut.test", role: "user")
            let gateway = try await desk.mailGatewayToken()
            let first = try await desk.deliver(DeskHarness.mail(from: "anna@aut.test", subject: "Down", body: "x"), to: "support@plmgroup.dk", token: gateway)
            let number = try #require(first.string["case"])
            let before = try await Self.caseOf(desk, first)
            let away = try await desk.deliver(DeskHarness.mail(from: "anna@aut.test", subject: "Out of office: [\(number)] Down", body: "Back Monday.",
                                                               headers: ["Auto-Submitted: auto-replied"]), to: "support@plmgroup.dk", token: gateway)
            #expect(away.string["outcome"] == "auto-reply-recorded" && away.string["caseID"] == first.string["caseID"], "\(away.json)")
            let after = try await Self.caseOf(desk, away)
            let note = (after["events"] as? [[String: Any]])?.last
            #expect(note?["kind"] as? String == "internal-note" && (note?["body"] as? String)?.contains("Back Monday.") == true)
            #expect(after["clocks"] as? NSArray == before["clocks"] as? NSArray, "an auto-reply moves no clock")
            #expect(after.string["status"] == before.string["status"])

            let bounce = """
                From: MAILER-DAEMON@mx.aut.test
                To: support@plmgroup.dk
                Subject: Undelivered Mail Returned to Sender [\(number)]
                Content-Type: multipart/report; report-type=delivery-status; boundary=r

                --r

                Delivery failed.
                --r
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.aut.test

                Final-Recipient: rfc822; gone@aut.test
                Action: failed
                --r--
                """
            let bounced = try await desk.deliver(bounce, to: "support@plmgroup.dk", token: gateway)
            #expect(bounced.string["outcome"] == "bounce-recorded" && bounced.string["detail"]?.contains("gone@aut.test") == true, "\(bounced.json)")
            // A list mail with no case to join is recorded and nothing more.
            let list = try await desk.deliver(DeskHarness.mail(from: "news@vendor.test", subject: "Newsletter", body: "x", headers: ["List-Id: <news.vendor.test>"]),
                                              to: "support@plmgroup.dk", token: gateway)
            #expect(list.string["outcome"] == "auto-reply-recorded" && list.string["caseID"] == nil)
            #expect((try await desk.call(.GET, "/api/v1/cases", token: desk.adminToken)["items"] as? [Any])?.count == 1)
        }
    }

    @Test(arguments: TestDatabase.all) func whatCannotBeProcessedIsQuarantinedRetriedOrDropped(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-03T09:05:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "QUA")
            let anna = try await desk.person(in: plm, email: "anna@qua.test", role: "user")
            let gateway = try await desk.mailGatewayToken()
            let noSender = try await desk.deliver("Subject: who?\n\nno From line", to: "support@plmgroup.dk", token: gateway)
            #expect(noSender.status == .accepted && noSender.string["outcome"] == "quarantined", "\(noSender.json)")
            #expect(noSender.string["detail"] == "the message has no readable From address")
            let id = try #require(noSender.string["message"])
            // A 30 MB mail: over the 25 MB limit, kept raw in the quarantine.
            let big = DeskHarness.mail(from: "anna@qua.test", subject: "Logs", body: String(repeating: "0123456789abcdef0123456789abcdef0123456789abcdef012345678\n", count: 30 * 1024 * 1024 / 58))
            let huge = try await desk.deliver(big, to: "support@plmgroup.dk", token: gateway)
            #expect(huge.string["outcome"] == "quarantined" && huge.string["detail"]?.contains("over the desk's limit of 26214400 bytes") == true, "\(huge.json)")

            #expect(try await desk.call(.GET, "/api/v1/mail/quarantine", token: anna.token).status == .forbidden)
            let listed = try await desk.call(.GET, "/api/v1/mail/quarantine", token: desk.adminToken)
            let messages = listed["messages"] as? [[String: Any]] ?? []
            #expect(messages.compactMap { $0["id"] as? String } == [id, huge.string["message"]!])
            #expect(messages.last?["size"] as? Int == big.utf8.count, "stored whole")
            let first = try await desk.call(.GET, "/api/v1/mail/quarantine?limit=1", token: desk.adminToken)
            #expect((first["messages"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
            for bad in ["0", "1001", "many"] {
                let refused = try await desk.call(.GET, "/api/v1/mail/quarantine?limit=\(bad)", token: desk.adminToken)
                #expect(refused.status == .badRequest && refused.string["field"] == "limit", "limit=\(bad): \(refused.json)")
            }
            let raw = try await desk.download("/api/v1/mail/messages/\(id)/raw", token: desk.adminToken)
            #expect(raw.status == .ok && raw.body == Data("Subject: who?\n\nno From line".utf8))

            let retried = try await desk.call(.POST, "/api/v1/mail/quarantine/\(id)/retry", token: desk.adminToken)
            #expect(retried.status == .ok && retried.string["outcome"] == "quarantined", "still no sender: \(retried.json)")
            #expect(try await desk.call(.POST, "/api/v1/mail/quarantine/\(id)/drop", token: desk.adminToken, body: #"{"reason":""}"#).status == .unprocessableEntity)
            #expect(try await desk.call(.POST, "/api/v1/mail/quarantine/\(id)/drop", token: desk.adminToken, body: #"{"reason":"spam without a sender"}"#).status == .noContent)
            #expect(try await desk.download("/api/v1/mail/messages/\(id)/raw", token: desk.adminToken).status == .gone)
            let dropped = try await desk.call(.GET, "/api/v1/mail/messages/\(id)", token: desk.adminToken)
            #expect(dropped.string["status"] == "dropped" && dropped.string["reason"] == "spam without a sender")
            #expect(try await desk.call(.POST, "/api/v1/mail/quarantine/\(id)/retry", token: desk.adminToken).status == .conflict)
            #expect(try await desk.call(.GET, "/api/v1/mail/messages/\(UUID())", token: desk.adminToken).status == .notFound)
        }
    }

    /// A policy published before mail intake existed names no priority for mailed cases: its mail
    /// waits in the quarantine, saying what to add, and is processed once the policy says it.
    @Test func aPolicyWithoutAMailPriorityQuarantinesUntilItNamesOne() async throws {
        try await DeskHarness.run(at: "2026-03-03T09:05:00Z") { desk in
            let withoutEmail = try Presets.yaml("plixer").replacingOccurrences(of: "email:\n  default-priority: severity-3\n  unknown-senders: refuse\n", with: "")
                .replacingOccurrences(of: "version: \"", with: "version: \"0.")
            #expect(!withoutEmail.contains("default-priority"))
            let yaml = [("Content-Type", "application/yaml")]
            #expect(try await desk.call(.POST, "/api/v1/policies?publish=true", token: desk.adminToken, bytes: Data(withoutEmail.utf8), headers: yaml).status == .created)
            let plixer = try await desk.organization("plixer", plan: "standard", prefix: "OLD")
            _ = try await desk.person(in: plixer, email: "ops@old.test", role: "user")
            let gateway = try await desk.mailGatewayToken()
            let held = try await desk.deliver(DeskHarness.mail(from: "ops@old.test", to: "support@plixer.test", subject: "Flow gaps", body: "x"),
                                              to: "support@plixer.test", token: gateway)
            #expect(held.string["outcome"] == "quarantined", "\(held.json)")
            #expect(held.string["detail"]?.contains("add email: {default-priority: …} to policy plixer, publish it, then retry this message") == true)
            let fixed = try Presets.yaml("plixer").replacingOccurrences(of: "version: \"", with: "version: \"9.")
            #expect(try await desk.call(.POST, "/api/v1/policies?publish=true", token: desk.adminToken, bytes: Data(fixed.utf8), headers: yaml).status == .created)
            let retried = try await desk.call(.POST, "/api/v1/mail/quarantine/\(held.string["message"]!)/retry", token: desk.adminToken)
            #expect(retried.string["outcome"] == "case-created", "\(retried.json)")
            #expect(try await Self.caseOf(desk, retried).string["priority"] == "severity-3")
        }
    }

    /// A message's case and its files are one: when a file cannot be stored (the attachment store
    /// unwritable), no case is made without it — the message waits in the quarantine, and once the
    /// store works again its retry makes the one case, with the file.
    @Test(arguments: TestDatabase.all) func aCaseIsNeverMadeWithoutItsMailedFiles(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-03T09:05:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "ATT")
            _ = try await desk.person(in: plm, email: "anna@files.test", role: "user")
            let gateway = try await desk.mailGatewayToken()
            let message = DeskHarness.mail(
                from: "anna@files.test", subject: "Crash log attached", body: "",
                headers: ["Content-Type: multipart/mixed; boundary=\"b1\""]).replacingOccurrences(of: "\n\n\n", with: "\n\n") + """
                --b1
                Content-Type: text/plain; charset=utf-8

                The log is attached.
                --b1
                Content-Type: text/plain; name="crash.log"
                Content-Disposition: attachment; filename="crash.log"

                fatal: out of licences
                --b1--

                """
            // The attachment store broken: a file where its folder should be.
            let directory = desk.attachmentDirectory
            try? FileManager.default.removeItem(atPath: directory)
            try Data("not a folder".utf8).write(to: URL(fileURLWithPath: directory))
            let held = try await desk.deliver(message, to: "support@plmgroup.dk", token: gateway)
            #expect(held.string["outcome"] == "quarantined", "\(held.json)")
            let none = try await desk.call(.GET, "/api/v1/cases", token: desk.adminToken)
            #expect((none["items"] as? [Any])?.count == 0, "no case without its file: \(none.json)")

            try FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let retried = try await desk.call(.POST, "/api/v1/mail/quarantine/\(held.string["message"]!)/retry", token: desk.adminToken)
            #expect(retried.string["outcome"] == "case-created", "\(retried.json)")
            let made = try await Self.caseOf(desk, retried)
            let files = (made["attachments"] as? [[String: Any]])?.compactMap { $0["filename"] as? String }
            #expect(files == ["crash.log"], "\(made.json)")
            let all = try await desk.call(.GET, "/api/v1/cases", token: desk.adminToken)
            #expect((all["items"] as? [Any])?.count == 1, "one case: \(all.json)")
        }
    }

    /// Messages delivered at once are written together (cases logged at the same moment share a
    /// transaction; on PostgreSQL one statement): each still becomes its own case, numbered on from
    /// its customer's counter, with its own file, found by its own words, its message marked
    /// processed as that case.
    @Test(arguments: TestDatabase.all) func messagesDeliveredTogetherEachBecomeTheirOwnCase(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-03T09:05:00Z", on: database) { desk in
            let north = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "NORTH")
            let south = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "SOUTH")
            _ = try await desk.person(in: north, email: "nina@north.test", role: "user")
            _ = try await desk.person(in: south, email: "sven@south.test", role: "user")
            let gateway = try await desk.mailGatewayToken()
            let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett", "kilo", "lima"]
            // Each answer's outcome, case and message (a reply's JSON does not cross tasks).
            let replies = try await withThrowingTaskGroup(of: (String, [String: String]).self) { group in
                for (index, word) in words.enumerated() {
                    let sender = index.isMultiple(of: 2) ? "nina@north.test" : "sven@south.test"
                    let message = DeskHarness.mail(from: sender, subject: "Licence \(word)", body: "",
                                                   headers: ["Content-Type: multipart/mixed; boundary=\"b1\""]) + """
                        --b1
                        Content-Type: text/plain; charset=utf-8

                        The \(word)word server stopped.
                        --b1
                        Content-Type: text/plain; name="\(word).log"
                        Content-Disposition: attachment; filename="\(word).log"

                        fatal: \(word)
                        --b1--

                        """
                    group.addTask {
                        let reply = try await desk.deliver(message, to: "support@plmgroup.dk", token: gateway)
                        return (word, ["outcome", "caseID", "message"].reduce(into: [:]) { $0[$1] = reply.string[$1] })
                    }
                }
                var replies: [String: [String: String]] = [:]
                for try await (word, reply) in group { replies[word] = reply }
                return replies
            }
            var numbers: [String] = []
            for (index, word) in words.enumerated() {
                let reply = try #require(replies[word])
                #expect(reply["outcome"] == "case-created", "\(word): \(reply)")
                let caseID = try #require(reply["caseID"])
                let made = try await desk.call(.GET, "/api/v1/cases/\(caseID)", token: desk.adminToken)
                #expect(made.string["title"] == "Licence \(word)")
                #expect(made.string["number"]?.hasPrefix(index.isMultiple(of: 2) ? "NORTH-2026-" : "SOUTH-2026-") == true, "\(made.json)")
                let files = (made["attachments"] as? [[String: Any]])?.compactMap { $0["filename"] as? String }
                #expect(files == ["\(word).log"], "\(made.json)")
                let found = try await desk.call(.GET, "/api/v1/cases?q=\(word)word", token: desk.adminToken)
                #expect((found["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [caseID], "\(found.json)")
                let stored = try await desk.call(.GET, "/api/v1/mail/messages/\(reply["message"] ?? "")", token: desk.adminToken)
                #expect(stored.string["status"] == "processed" && stored.string["caseID"] == caseID, "\(stored.json)")
                numbers.append(try #require(made.string["number"]))
            }
            for prefix in ["NORTH-2026-", "SOUTH-2026-"] {
                #expect(numbers.filter { $0.hasPrefix(prefix) }.sorted() == (1...6).map { prefix + String(format: "%06d", $0) }, "\(numbers)")
            }
        }
    }

    @Test(arguments: TestDatabase.all) func aMessageWhoseServerDiedIsTakenUpOnce(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-03T09:05:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "REC")
            _ = try await desk.person(in: plm, email: "anna@rec.test", role: "user")
            // Stored, then its server died before processing it: pending, leased for five minutes.
            let store = DeskStore(database: desk.app.db)
            let raw = Data(DeskHarness.mail(from: "anna@rec.test", subject: "Stored only", body: "x").utf8)
            let (mail, isNew) = try await store.receiveMail(raw: raw, recipient: "support@plmgroup.dk", sender: "anna@rec.test", subject: "Stored only",
                                                            messageID: nil, at: DeskHarness.date("2026-03-03T09:00:00Z"), lease: 300)
            #expect(isNew && mail.status == .pending)
            #expect(try await store.claimPendingMail(at: DeskHarness.date("2026-03-03T09:04:00Z"), lease: 300) == nil, "its lease runs until 09:05")
            desk.set("2026-03-03T09:06:00Z")
            #expect(try await desk.recoverMail() == 1)
            #expect(try await desk.recoverMail() == 0, "processed once")
            let stored = try await desk.call(.GET, "/api/v1/mail/messages/\(mail.id)", token: desk.adminToken)
            #expect(stored.string["status"] == "processed" && stored.string["outcome"] == "case-created", "\(stored.json)")
            let cases = try await desk.call(.GET, "/api/v1/cases", token: desk.adminToken)
            #expect((cases["items"] as? [[String: Any]])?.first?["loggedAt"] as? String == "2026-03-03T09:00:00Z", "when it was received")
        }
    }

    @Test func badRequestsGetClearProblems() async throws {
        try await DeskHarness.run(at: "2026-03-03T09:05:00Z") { desk in
            let gateway = try await desk.mailGatewayToken()
            let message = DeskHarness.mail(from: "a@b.test", subject: "x", body: "y")
            let anonymous = try await desk.send(.POST, "/api/v1/mail/inbound", headers: [("Content-Type", "message/rfc822")], body: Data(message.utf8))
            #expect(anonymous.status == .unauthorized)
            #expect(try await desk.deliver(message, to: nil, token: desk.adminToken).status == .unauthorized, "a person's token delivers no mail")
            #expect(try await desk.call(.GET, "/api/v1/me", token: gateway).status == .unauthorized, "a gateway's token does nothing else")
            let json = try await desk.send(.POST, "/api/v1/mail/inbound", headers: [("Authorization", "Bearer \(gateway)"), ("Content-Type", "application/json")],
                                           body: Data("{}".utf8))
            #expect(json.status == .unsupportedMediaType)
            #expect(try await desk.deliver(Data(), to: nil, token: gateway).status == .badRequest)
            let recipient = try await desk.deliver(message, to: "not an address", token: gateway)
            #expect(recipient.status == .unprocessableEntity && recipient.string["field"] == "Accord-Envelope-Recipient")
            let accepted = try await desk.deliver(message, to: nil, token: gateway, acceptedAt: "yesterday")
            #expect(accepted.status == .unprocessableEntity && accepted.string["field"] == "Accord-Accepted-At")
            #expect(accepted.string["detail"]?.contains("nor an RFC 5322 date") == true, "\(accepted.json)")
            // RFC 3339 as well: the moment a message without a Received stamp was taken in.
            let stamped = try await desk.deliver(DeskHarness.mail(from: "a@b.test", subject: "stamped", body: "y"), to: nil, token: gateway,
                                                 acceptedAt: "2026-03-03T09:01:00Z")
            #expect(stamped.status == .accepted, "\(stamped.json)")
        }
    }
}

extension DeskHarness {
    /// One mail recovery pass, as each server runs them in the background.
    func recoverMail() async throws -> Int {
        try await AccordApp.recoverMail(app, now: clock.now())
    }
}
