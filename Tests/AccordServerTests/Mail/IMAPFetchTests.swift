import AccordServer
import AccordStore
import AccordTestSupport
import Foundation
import Testing

/// Mail fetched from an IMAP mailbox through a real Dovecot: each message becomes what it would by
/// the mail gateway, its clock from when the mail server received it (INTERNALDATE); it is marked
/// seen, moved or deleted only once stored; what the desk cannot store stays as it was; a server
/// waiting in IDLE takes a new message in at once; one server of several fetches a mailbox.
@Suite(.serialized) struct IMAPFetchTests {
    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static func cases(_ desk: DeskHarness) async throws -> [[String: Any]] {
        try await desk.call(.GET, "/api/v1/cases?limit=100", token: desk.adminToken)["items"] as? [[String: Any]] ?? []
    }

    static func message(_ subject: String, from: String = "Anna <anna@imap.test>", id: String) -> String {
        DeskHarness.mail(from: from, to: Dovecot.user, subject: subject, body: "Written at 09:00.", messageID: "<\(id)@imap.test>")
    }

    @Test(.enabled(if: Dovecot.available || ProcessInfo.processInfo.environment["CI"] == "true"), arguments: TestDatabase.all)
    func fetchedMailBecomesCasesAndLeavesTheFolderOnlyOnceStored(_ database: TestDatabase) async throws {
        try await Dovecot.running { dovecot in
            try await DeskHarness.run(at: "2026-03-03T10:00:00Z", on: database) { desk in
                let plm = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "IMA")
                _ = try await desk.person(in: plm, email: "anna@imap.test", role: "user")
                // Received at 09:00 UTC (10:00 in Copenhagen), fetched an hour later: the clock starts at 09:00.
                try await dovecot.append(Self.message("Plotter offline", id: "m1"), received: Self.at("2026-03-03T09:00:00Z"))
                try await dovecot.append(Self.message("Licence expired", id: "m2"), received: Self.at("2026-03-03T09:30:00Z"))
                let moving = dovecot.mailbox(after: .move("Accord"))
                let fetched = try await AccordApp.fetchMail(desk.app, from: moving, now: { desk.clock.now() })
                #expect(fetched.stored == 2 && fetched.left == 0)
                let cases = try await Self.cases(desk)
                #expect(Set(cases.compactMap { $0["title"] as? String }) == ["Plotter offline", "Licence expired"])
                let plotter = try #require(cases.first { $0["title"] as? String == "Plotter offline" })
                let detail = try await desk.call(.GET, "/api/v1/cases/\(plotter["id"] as! String)", token: desk.adminToken)
                #expect(detail.string["channel"] == "email" && detail.string["region"] == "denmark", "\(detail.json)")
                let clocks = detail["clocks"] as? [[String: Any]] ?? []
                #expect(clocks.first { $0["metric"] as? String == "initial-response" }?["clockStart"] as? String == "2026-03-03T09:00:00Z", "\(clocks)")
                let folders = try await dovecot.folders()
                #expect(folders["INBOX"]?.isEmpty == true && folders["Accord"]?.count == 2, "\(folders)")
                // Nothing new: nothing happens.
                #expect(try await AccordApp.fetchMail(desk.app, from: moving, now: { desk.clock.now() }).stored == 0)

                // Marked seen instead: only unseen mail is fetched, and the same message delivered
                // again (a copy in the folder) is one message.
                try await dovecot.append(Self.message("Scanner jams", id: "m3"), received: Self.at("2026-03-03T09:45:00Z"))
                try await dovecot.append(Self.message("Scanner jams", id: "m3"), received: Self.at("2026-03-03T09:45:00Z"))
                let marking = dovecot.mailbox(after: .seen)
                #expect(try await AccordApp.fetchMail(desk.app, from: marking, now: { desk.clock.now() }).stored == 2)
                #expect(try await Self.cases(desk).filter { $0["title"] as? String == "Scanner jams" }.count == 1)
                #expect(try await dovecot.folders()["INBOX"]?.allSatisfy { $0[1].contains("\\Seen") } == true)
                #expect(try await AccordApp.fetchMail(desk.app, from: marking, now: { desk.clock.now() }).stored == 0)

                // Deleted once stored.
                try await dovecot.append(Self.message("Printer queue stuck", id: "m4"), received: Self.at("2026-03-03T09:50:00Z"))
                #expect(try await AccordApp.fetchMail(desk.app, from: dovecot.mailbox(after: .delete), now: { desk.clock.now() }).stored == 3,
                        "every message in the folder is fetched when they leave it: the two copies seen before are duplicates")
                #expect(try await dovecot.folders()["INBOX"]?.isEmpty == true)
                #expect(try await Self.cases(desk).count == 4)

                // A wrong password: the server's refusal, the user named, never the password.
                do {
                    _ = try await AccordApp.fetchMail(desk.app, from: dovecot.mailbox(after: .seen, password: "wrong-horse"))
                    Issue.record("a wrong password signed in")
                } catch {
                    #expect("\(error)".contains("AUTHENTICATE PLAIN as \(Dovecot.user) refused"), "\(error)")
                    #expect(!"\(error)".contains("wrong-horse"))
                }
            }
        }
    }

    /// Microsoft 365 and Google sign-in: XOAUTH2 with the access token in its file, read again at
    /// each sign-in (a helper renews it), or renewed by the desk itself from the provider's token
    /// endpoint with a refresh token; Dovecot asks a token introspection endpoint (RFC 7662) whether
    /// a token is active and whose — both endpoints a few lines of Python here. An expired token or
    /// a refused refresh token: the reason, never the token.
    @Test(.enabled(if: Dovecot.available || ProcessInfo.processInfo.environment["CI"] == "true"))
    func oauthTokensSignInFromTheirFileOrRenewedByTheDesk() async throws {
        let port = TestPorts.next()
        let introspection = try await BackgroundProcess.start("/usr/bin/env", ["python3", "-c", """
            import http.server, json, urllib.parse
            # The provider: a token endpoint (refresh-token grant, rotating the refresh token) and
            # the introspection endpoint Dovecot asks.
            state = {'refresh': 'refresh-1', 'issued': ['fresh-access-token'], 'refreshes': 0}
            class Provider(http.server.BaseHTTPRequestHandler):
                def answer(self, status, value):
                    body = json.dumps(value).encode()
                    self.send_response(status)
                    self.send_header('Content-Type', 'application/json')
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def do_GET(self):
                    self.answer(200, {'refreshes': state['refreshes']})
                def do_POST(self):
                    form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get('Content-Length', 0))).decode())
                    if self.path == '/token':
                        if form.get('grant_type') == ['refresh_token'] and form.get('client_id') == ['accord-desk'] and form.get('refresh_token') == [state['refresh']]:
                            state['refreshes'] += 1
                            token = 'access-%d' % state['refreshes']
                            state['issued'].append(token)
                            state['refresh'] = 'refresh-%d' % (state['refreshes'] + 1)
                            self.answer(200, {'access_token': token, 'token_type': 'Bearer', 'expires_in': 3599, 'refresh_token': state['refresh']})
                        else:
                            self.answer(400, {'error': 'invalid_grant', 'error_description': 'AADSTS70000: The provided grant is not valid.'})
                        return
                    active = form.get('token', [''])[0] in state['issued']
                    self.answer(200, {'active': True, 'username': '\(Dovecot.user)'} if active else {'active': False})
            http.server.HTTPServer(('127.0.0.1', \(port)), Provider).serve_forever()
            """])
        defer { introspection.send(SIGKILL) }
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("accord-imap-token-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: tokenFile) }
        try await Dovecot.running(introspection: port) { dovecot in
            try await DeskHarness.run(at: "2026-03-03T10:00:00Z") { desk in
                let plm = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "OAU")
                _ = try await desk.person(in: plm, email: "anna@imap.test", role: "user")
                try await dovecot.append(Self.message("Signed in by token", id: "o1"), received: Self.at("2026-03-03T09:00:00Z"))
                let mailbox = dovecot.mailbox(after: .move("Accord"), credential: .oauthTokenFile(tokenFile))

                try "expired-access-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
                do {
                    _ = try await AccordApp.fetchMail(desk.app, from: mailbox)
                    Issue.record("an expired token signed in")
                } catch {
                    #expect("\(error)".contains("AUTHENTICATE XOAUTH2 as \(Dovecot.user) refused"), "\(error)")
                    #expect(!"\(error)".contains("expired-access-token"))
                }
                // The helper renewed it: the next sign-in reads the file again.
                try "fresh-access-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
                let fetched = try await AccordApp.fetchMail(desk.app, from: mailbox, now: { desk.clock.now() })
                #expect(fetched.stored == 1)
                #expect(try await Self.cases(desk).compactMap { $0["title"] as? String } == ["Signed in by token"])

                // The desk renewing its tokens itself, with the refresh token the account's consent gave:
                // one refresh, the rotated refresh token written back, the access token kept for the next pass.
                let refreshFile = tokenFile + ".refresh"
                defer { try? FileManager.default.removeItem(atPath: refreshFile) }
                try "refresh-1\n".write(toFile: refreshFile, atomically: true, encoding: .utf8)
                let renewing = dovecot.mailbox(after: .move("Accord"), credential: .oauthRefresh(.init(
                    tokenURL: "http://127.0.0.1:\(port)/token", clientID: "accord-desk", refreshTokenFile: refreshFile,
                    scope: "https://outlook.office.com/IMAP.AccessAsUser.All offline_access")))
                try await dovecot.append(Self.message("Signed in by a renewed token", id: "o2"), received: Self.at("2026-03-03T09:10:00Z"))
                #expect(try await AccordApp.fetchMail(desk.app, from: renewing, now: { desk.clock.now() }).stored == 1)
                #expect(try String(contentsOfFile: refreshFile, encoding: .utf8) == "refresh-2\n", "the rotated refresh token kept")
                try await dovecot.append(Self.message("Signed in by the kept token", id: "o3"), received: Self.at("2026-03-03T09:20:00Z"))
                #expect(try await AccordApp.fetchMail(desk.app, from: renewing, now: { desk.clock.now() }).stored == 1)
                let count = try await ChildProcess.run(command: "python3", ["-c", "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:\(port)/count').read().decode())"])
                #expect(count.text.contains(#""refreshes": 1"#), "one refresh for two passes: \(count.text)")

                // A refresh token the provider no longer takes: its error and description, never a token.
                let revokedFile = tokenFile + ".revoked"
                defer { try? FileManager.default.removeItem(atPath: revokedFile) }
                try "refresh-revoked\n".write(toFile: revokedFile, atomically: true, encoding: .utf8)
                do {
                    _ = try await AccordApp.fetchMail(desk.app, from: dovecot.mailbox(after: .seen, credential: .oauthRefresh(.init(
                        tokenURL: "http://127.0.0.1:\(port)/token", clientID: "accord-desk", refreshTokenFile: revokedFile))))
                    Issue.record("a revoked refresh token signed in")
                } catch {
                    #expect("\(error)".contains("refused the refresh token: invalid_grant: AADSTS70000"), "\(error)")
                    #expect(!"\(error)".contains("refresh-revoked"))
                }
            }
        }
        // A server that offers no XOAUTH2 is told of, with what it offers.
        try await Dovecot.running { dovecot in
            try await DeskHarness.run(at: "2026-03-03T10:00:00Z") { desk in
                do {
                    _ = try await AccordApp.fetchMail(desk.app, from: dovecot.mailbox(after: .seen, credential: .oauthTokenFile(tokenFile)))
                    Issue.record("signed in without XOAUTH2")
                } catch {
                    #expect("\(error)".contains("offers no AUTHENTICATE XOAUTH2") && "\(error)".contains("AUTH=PLAIN"), "\(error)")
                }
            }
        }
    }

    @Test(.enabled(if: Dovecot.available || ProcessInfo.processInfo.environment["CI"] == "true"))
    func whatTheDeskCannotStoreStaysInTheMailbox() async throws {
        try await Dovecot.running { dovecot in
            try await DeskHarness.run(at: "2026-03-03T10:00:00Z", configure: { $0.mail.hardLimit = 2048 }) { desk in
                let big = Self.message("Logs", id: "big") + String(repeating: "log line 0123456789\n", count: 200)
                try await dovecot.append(big, received: Self.at("2026-03-03T09:00:00Z"))
                let fetched = try await AccordApp.fetchMail(desk.app, from: dovecot.mailbox(after: .delete), now: { desk.clock.now() })
                #expect(fetched.stored == 0 && fetched.left == 1)
                let inbox = try await dovecot.folders()["INBOX"] ?? []
                #expect(inbox.count == 1 && !(inbox.first?[1].contains("\\Deleted") ?? true) && !(inbox.first?[1].contains("\\Seen") ?? true), "\(inbox)")
            }
        }
    }

    /// `accord serve --imap` in the background: the server waits in IDLE and takes a new message
    /// in as it arrives.
    @Test(.enabled(if: Dovecot.available || ProcessInfo.processInfo.environment["CI"] == "true"))
    func aServerWaitingInIdleTakesNewMailInAtOnce() async throws {
        try await Dovecot.running { dovecot in
            let mailbox = dovecot.mailbox(after: .move("Accord"))
            try await DeskHarness.run(at: "2026-03-03T10:00:00Z", configure: { $0.imapMailboxes = [mailbox]; $0.imapIdleWindow = .seconds(60) }) { desk in
                let plm = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "IDL")
                _ = try await desk.person(in: plm, email: "anna@imap.test", role: "user")
                // Booted as `accord serve` boots: the mailbox's fetcher starts. Wait until it sits in
                // IDLE (its first pass found nothing), then deliver.
                try await desk.app.asyncBoot()
                try await Task.sleep(for: .seconds(2))
                try await dovecot.append(Self.message("Arrived while idle", id: "idle-1"), received: Date())
                var titles: [String] = []
                for _ in 0..<100 where !titles.contains("Arrived while idle") {
                    try await Task.sleep(for: .milliseconds(100))
                    titles = try await Self.cases(desk).compactMap { $0["title"] as? String }
                }
                #expect(titles == ["Arrived while idle"], "within 10 s of its arrival, well inside the 60 s IDLE window")
            }
        }
    }

    /// Of several servers on one database, one fetches a mailbox; another takes over when its lease ends.
    @Test(arguments: TestDatabase.all) func oneServerAtATimeHoldsAMailbox(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-03T10:00:00Z", on: database) { desk in
            let store = DeskStore(database: desk.app.db)
            let first = UUID(), second = UUID()
            let now = Self.at("2026-03-03T10:00:00Z")
            let key = "imaps://support@plmgroup.dk@imap.test:993/INBOX"
            #expect(try await store.claimFetchLease(key, holder: first, until: now.addingTimeInterval(360), at: now))
            #expect(try await !store.claimFetchLease(key, holder: second, until: now.addingTimeInterval(360), at: now.addingTimeInterval(60)))
            #expect(try await store.claimFetchLease(key, holder: first, until: now.addingTimeInterval(420), at: now.addingTimeInterval(60)), "renewed by its holder")
            #expect(try await store.claimFetchLease(key, holder: second, until: now.addingTimeInterval(900), at: now.addingTimeInterval(421)), "taken over once it ran out")
            #expect(try await !store.claimFetchLease(key, holder: first, until: now.addingTimeInterval(900), at: now.addingTimeInterval(422)))
            try await store.releaseFetchLease(key, holder: second)
            #expect(try await store.claimFetchLease(key, holder: first, until: now.addingTimeInterval(900), at: now.addingTimeInterval(423)), "given up by a server stopping")
        }
    }
}
