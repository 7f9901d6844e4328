import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import AccordTestSupport

/// Mail through a real mail server, end to end: a private Postfix instance (Debian's) takes mail by
/// SMTP on loopback and pipes it to `accord-mailgate`, which hands it to a running `accord serve`;
/// the desk's own mail goes out to aiosmtpd. The customer's mail becomes a case with its file;
/// the acknowledgement arrives with its headers; the customer's answer to it, through Postfix again,
/// threads into the case; and while the desk is down a message waits in Postfix's queue (the gateway
/// exits 75) and arrives once when the desk is back. CI installs Postfix and aiosmtpd and runs as root
/// (Postfix's master starts as root); elsewhere the test runs where both are.
@Suite(.serialized) struct MailServerEndToEndTests {
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/postfix") && getuid() == 0
    }

    struct Postfix {
        let directory: URL
        var config: String { directory.appendingPathComponent("etc").path }

        func postfix(_ arguments: [String]) async throws -> (Int32, String) {
            let run = try await ChildProcess.run("/usr/sbin/postfix", ["-c", config] + arguments)
            return (run.status, run.text + run.errors)
        }

        /// The instance's log (its own file: the machine may have no syslog).
        var log: String {
            (try? String(contentsOfFile: directory.appendingPathComponent("maillog").path, encoding: .utf8)) ?? "(no log)"
        }

        /// What waits in the queue (`postqueue -p`).
        func queue() async throws -> String {
            try await ChildProcess.run("/usr/sbin/postqueue", ["-c", config, "-p"]).text
        }

        func flush() async throws {
            _ = try await ChildProcess.run("/usr/sbin/postqueue", ["-c", config, "-f"])
        }

        /// A Postfix of its own: SMTP on `smtpPort`, mail for plmgroup.no piped to `accord-mailgate`.
        static func start(smtpPort: Int, deskURL: String, tokenFile: String) async throws -> Postfix {
            let directory = URL(fileURLWithPath: "/tmp/accord-postfix-\(UUID().uuidString.prefix(8))")
            let postfix = Postfix(directory: directory)
            let etc = directory.appendingPathComponent("etc")
            try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
            for folder in ["queue", "data"] {
                try FileManager.default.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
            // Postfix's master keeps its lock and caches in a data directory of its own user.
            try FileManager.default.setAttributes([.ownerAccountName: "postfix"], ofItemAtPath: directory.appendingPathComponent("data").path)
            let gateway = AccordCommandTests.executable.deletingLastPathComponent().appendingPathComponent("accord-mailgate").path
            try """
                compatibility_level = 3.6
                queue_directory = \(directory.path)/queue
                data_directory = \(directory.path)/data
                myhostname = mx.desk.test
                mydestination =
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                mynetworks = 127.0.0.0/8
                relay_domains = plmgroup.no
                transport_maps = inline:{ plmgroup.no=accord: }
                smtpd_relay_restrictions = permit_mynetworks, reject
                accord_destination_recipient_limit = 1
                minimal_backoff_time = 1s
                maximal_backoff_time = 2s
                queue_run_delay = 1s
                maillog_file = \(directory.path)/maillog
                maillog_file_prefixes = /tmp
                smtputf8_enable = no
                """.write(to: etc.appendingPathComponent("main.cf"), atomically: true, encoding: .utf8)
            try """
                127.0.0.1:\(smtpPort) inet n - n - - smtpd
                pickup    unix  n       -       n       60      1       pickup
                cleanup   unix  n       -       n       -       0       cleanup
                qmgr      unix  n       -       n       300     1       qmgr
                tlsmgr    unix  -       -       n       1000?   1       tlsmgr
                rewrite   unix  -       -       n       -       -       trivial-rewrite
                bounce    unix  -       -       n       -       0       bounce
                defer     unix  -       -       n       -       0       bounce
                trace     unix  -       -       n       -       0       bounce
                verify    unix  -       -       n       -       1       verify
                flush     unix  n       -       n       1000?   0       flush
                proxymap  unix  -       -       n       -       -       proxymap
                smtp      unix  -       -       n       -       -       smtp
                relay     unix  -       -       n       -       -       smtp
                showq     unix  n       -       n       -       -       showq
                error     unix  -       -       n       -       -       error
                retry     unix  -       -       n       -       -       error
                discard   unix  -       -       n       -       -       discard
                local     unix  -       n       n       -       -       local
                lmtp      unix  -       -       n       -       -       lmtp
                anvil     unix  -       -       n       -       1       anvil
                scache    unix  -       -       n       -       1       scache
                postlog   unix-dgram n  -       n       -       1       postlogd
                accord    unix  -       n       n       -       4       pipe
                  flags=Rq user=nobody argv=\(gateway) --url \(deskURL) --token-file \(tokenFile) --timeout 10 --recipient ${original_recipient}
                """.write(to: etc.appendingPathComponent("master.cf"), atomically: true, encoding: .utf8)
            let (checked, checkOutput) = try await postfix.postfix(["check"])
            try #require(checked == 0, "postfix check: \(checkOutput) \(postfix.log)")
            let (started, output) = try await postfix.postfix(["start"])
            try #require(started == 0, "postfix start: \(output) \(postfix.log)")
            return postfix
        }

        func stop() async {
            _ = try? await postfix(["stop"])
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Sends `message` by SMTP to 127.0.0.1:`port` with Python's smtplib (a real client).
    static func send(_ message: String, port: Int, from: String, to: String) async throws {
        let python = try await ChildProcess.run(command: "python3", ["-c", """
            import smtplib, sys
            with smtplib.SMTP('127.0.0.1', \(port), timeout=30) as s:
                s.sendmail(sys.argv[1], [sys.argv[2]], sys.stdin.buffer.read())
            """, from, to], input: Data(message.utf8))
        #expect(python.status == 0, "smtplib could not hand the message to Postfix: \(python.errors)")
    }

    /// The desk's cases as the administrator lists them (titles).
    static func titles(url: String, adminToken: String) async -> [String] {
        let run = try? await AccordCommandTests.accord(["case", "list", "--url", url, "--token-file", adminToken, "--json", "--limit", "50"])
        guard let text = run?.stdout, let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let items = object["items"] as? [[String: Any]] else { return [] }
        return items.compactMap { $0["title"] as? String }
    }

    /// A case of the desk, by title, as the administrator reads it through the API.
    static func caseNamed(_ title: String, url: String, adminToken: String) async throws -> [String: Any]? {
        let token = try String(contentsOfFile: adminToken, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        func get(_ path: String) async throws -> [String: Any] {
            var request = URLRequest(url: URL(string: url + path)!)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let (data, _) = try await URLSession.shared.data(for: request)
            return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        }
        let items = try await get("/api/v1/cases?limit=50")["items"] as? [[String: Any]] ?? []
        guard let id = items.first(where: { $0["title"] as? String == title })?["id"] as? String else { return nil }
        return try await get("/api/v1/cases/\(id)")
    }

    static func startDesk(db: String, port: Int, smtpPort: Int) async throws -> BackgroundProcess {
        try await BackgroundProcess.start(AccordCommandTests.executable.path,
                                          ["serve", "--db", db, "--port", String(port), "--demo", "--smtp", "127.0.0.1:\(smtpPort)",
                                           "--mail-from", "PLM Support <support@plmgroup.no>"],
                                          environment: ProcessInfo.processInfo.environment.filter { $0.key != "DATABASE_URL" },
                                          log: db + ".log")
    }

    /// What the desk printed (for a failure's message).
    static func deskLog(_ db: String) -> String {
        String((try? String(contentsOfFile: db + ".log", encoding: .utf8))?.suffix(3000) ?? "")
    }

    /// Whether the desk at `url` answers its health check (it listens: its token file is written before).
    static func healthy(_ url: String) async -> Bool {
        var request = URLRequest(url: URL(string: url + "/health")!)
        request.timeoutInterval = 2
        return ((try? await URLSession.shared.data(for: request))?.1 as? HTTPURLResponse)?.statusCode == 200
    }

    static func waitFor(_ seconds: Int, _ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<(seconds * 4) {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return try await condition()
    }

    @Test(.enabled(if: available || ProcessInfo.processInfo.environment["CI"] == "true"))
    func mailThroughPostfixBecomesCasesAndWaitsWhileTheDeskIsDown() async throws {
        let work = URL(fileURLWithPath: "/tmp/accord-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: work.path)
        defer { try? FileManager.default.removeItem(at: work) }
        let db = work.appendingPathComponent("desk.sqlite").path
        let deskPort = TestPorts.next(), smtpPort = TestPorts.next(), outPort = TestPorts.next()
        let url = "http://127.0.0.1:\(deskPort)"

        // Where the desk's own mail goes: aiosmtpd, into a Maildir.
        let maildir = work.appendingPathComponent("outbound")
        let receiver = try await BackgroundProcess.start("/usr/bin/env", ["python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(outPort)", "-c", "aiosmtpd.handlers.Mailbox", maildir.path])

        // (A test that throws leaves no process behind: each is killed when it is let go.)
        var desk = try await Self.startDesk(db: db, port: deskPort, smtpPort: outPort)
        let admin = db + ".admin-token"
        try #require(try await Self.waitFor(180) { FileManager.default.fileExists(atPath: admin) }, "the desk started and wrote its first administrator's token: \(Self.deskLog(db))")
        // Listening, too: the gateway says at once that a desk not yet listening did not answer, and
        // Postfix would then keep the message for its next queue run, minutes later.
        try #require(try await Self.waitFor(120) { await Self.healthy(url) }, "the desk listens: \(Self.deskLog(db))")
        let token = try await AccordCommandTests.accord(["mail", "gateway-token", "create", "--label", "postfix", "--db", db])
        try #require(token.status == 0, "\(token.stderr)")
        let tokenFile = work.appendingPathComponent("mailgate.token").path
        try token.stdout.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: tokenFile)

        let postfix = try await Postfix.start(smtpPort: smtpPort, deskURL: url, tokenFile: tokenFile)
        do {
            try await Self.scenario(postfix: postfix, desk: &desk, db: db, deskPort: deskPort, smtpPort: smtpPort, outPort: outPort, url: url, admin: admin, maildir: maildir)
        } catch {
            await postfix.stop()
            throw error
        }
        await postfix.stop()
        try await desk.stop()
        try await receiver.stop(SIGKILL)
    }

    /// What the test does once the desk, Postfix and aiosmtpd run.
    static func scenario(postfix: Postfix, desk: inout BackgroundProcess, db: String, deskPort: Int, smtpPort: Int, outPort: Int,
                         url: String, admin: String, maildir: URL) async throws {

        // 1. A customer's mail with a file, through Postfix, becomes a case with the file.
        let first = """
            From: Ola Nordmann <ola@fjord.demo>
            To: PLM Support <support@plmgroup.no>
            Subject: Plotter stopped after the update
            Message-ID: <e2e-1@fjord.demo>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain; charset=utf-8

            The plotter stopped after the update.
            --b
            Content-Type: application/pdf; name="plotter.pdf"
            Content-Disposition: attachment; filename="plotter.pdf"
            Content-Transfer-Encoding: base64

            JVBERi0xLjQK
            --b--
            """
        try await Self.send(first, port: smtpPort, from: "ola@fjord.demo", to: "support@plmgroup.no")
        let arrived = try await Self.waitFor(60) { await Self.titles(url: url, adminToken: admin).contains("Plotter stopped after the update") }
        let queueAfterFirst = arrived ? "" : ((try? await postfix.queue()) ?? "")
        #expect(arrived, "the case arrives through Postfix; queue: \(queueAfterFirst); log: \(postfix.log.suffix(3000))")

        let logged = try #require(try await Self.caseNamed("Plotter stopped after the update", url: url, adminToken: admin))
        #expect(logged["channel"] as? String == "email" && logged["description"] as? String == "The plotter stopped after the update.")
        #expect((logged["attachments"] as? [[String: Any]])?.map { [$0["filename"] as? String, $0["contentType"] as? String] } == [["plotter.pdf", "application/pdf"]])

        // 2. The acknowledgement reaches the customer's mail server, header by header (the demo's
        // breaches send staff alerts there too).
        func acknowledgement() -> String? {
            let files = (try? FileManager.default.contentsOfDirectory(at: maildir.appendingPathComponent("new"), includingPropertiesForKeys: nil)) ?? []
            return files.compactMap { try? String(contentsOf: $0, encoding: .utf8) }
                .first { $0.contains("Subject: [PLM-2026-") && $0.contains("Plotter stopped") && $0.contains("To: ola@fjord.demo") }
        }
        #expect(try await Self.waitFor(60) { acknowledgement() != nil }, "the acknowledgement reaches aiosmtpd")
        let ack = acknowledgement() ?? ""
        #expect(ack.contains("Subject: [PLM-2026-"), "\(ack.prefix(600))")
        #expect(ack.contains("In-Reply-To: <e2e-1@fjord.demo>") && ack.contains("Auto-Submitted: auto-replied"))
        #expect(ack.contains("Reply-To: PLM Support <support@plmgroup.no>") && ack.contains("To: ola@fjord.demo"))
        let ackID = ack.split(separator: "\n").first { $0.hasPrefix("Message-ID: <") }.map { String($0.dropFirst("Message-ID: <".count).prefix { $0 != ">" }) } ?? ""
        #expect(ackID.hasPrefix("accord."))

        // 3. The customer answers the acknowledgement from a phone (no tag): it threads into the case.
        try await Self.send("From: ola@fjord.demo\nTo: support@plmgroup.no\nSubject: Re: your mail\nIn-Reply-To: <\(ackID)>\nMessage-ID: <e2e-2@fjord.demo>\n\nAlso the scanner.\n",
                      port: smtpPort, from: "ola@fjord.demo", to: "support@plmgroup.no")
        #expect(try await Self.waitFor(60) { (try? await postfix.queue())?.contains("Mail queue is empty") == true })
        #expect(await Self.titles(url: url, adminToken: admin).filter { $0 == "Re: your mail" || $0 == "your mail" }.isEmpty, "a reply, not a new case")
        let replied = try await Self.caseNamed("Plotter stopped after the update", url: url, adminToken: admin)
        #expect((replied?["events"] as? [[String: Any]])?.contains { $0["kind"] as? String == "customer-message" && $0["body"] as? String == "Also the scanner." } == true)

        // 4. The desk goes down: the message waits in Postfix's queue (mailgate exits 75), then arrives once.
        try await desk.stop()
        try await Self.send("From: ola@fjord.demo\nTo: support@plmgroup.no\nSubject: Licence server unreachable\nMessage-ID: <e2e-3@fjord.demo>\n\nSince 9:00.\n",
                      port: smtpPort, from: "ola@fjord.demo", to: "support@plmgroup.no")
        #expect(try await Self.waitFor(30) { (try? await postfix.queue())?.contains("support@plmgroup.no") == true }, "deferred, not bounced")
        let maillog = (try? String(contentsOfFile: postfix.directory.appendingPathComponent("maillog").path, encoding: .utf8)) ?? ""
        #expect(!maillog.contains("status=bounced"), "\(maillog.suffix(2000))")
        desk = try await Self.startDesk(db: db, port: deskPort, smtpPort: outPort)
        #expect(try await Self.waitFor(120) { await Self.healthy(url) }, "the desk is back: \(Self.deskLog(db))")
        try await postfix.flush()
        let delivered = try await Self.waitFor(60) { await Self.titles(url: url, adminToken: admin).contains("Licence server unreachable") }
        let queueAfterRestart = delivered ? "" : ((try? await postfix.queue()) ?? "")
        #expect(delivered, "delivered when the desk is back; queue: \(queueAfterRestart)")
        try await postfix.flush()
        try await Task.sleep(for: .seconds(3))
        #expect(await Self.titles(url: url, adminToken: admin).filter { $0 == "Licence server unreachable" }.count == 1, "once")
    }
}
