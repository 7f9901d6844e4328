import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import AccordTestSupport
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs the built `accord` executable as a user would and checks its output and exit status.
@Suite struct AccordCommandTests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("accord")
    }

    /// Runs `accord`; DATABASE_URL is not passed on, so desk commands use their `--db` SQLite file.
    static func accord(_ arguments: [String], input: String? = nil) async throws -> Run {
        let run = try await ChildProcess.run(executable.path, arguments, environment: ProcessInfo.processInfo.environment.filter { $0.key != "DATABASE_URL" },
                                             input: input.map { Data($0.utf8) })
        return Run(status: run.status, stdout: run.text, stderr: run.errors)
    }

    @Test func dueAnswersTheReadmeExample() async throws {
        let run = try await Self.accord(["sla", "due", "--policy", "plm-group", "--plan", "premium", "--priority", "critical",
                                   "--region", "denmark", "--opened", "2026-03-06T14:30:00+01:00"])
        #expect(run.status == 0)
        #expect(run.stdout == """
            target:      2 business hours
            clock start: 2026-03-06T14:30:00+01:00
            due:         2026-03-09T09:30:00+01:00

            """)
    }

    @Test func dueAsJSONWithPausesAndExplanation() async throws {
        let json = try await Self.accord(["sla", "due", "--policy", "plex", "--plan", "platinum", "--priority", "p2", "--opened", "2026-11-16T09:00:00-05:00",
                                    "--pause", "2026-11-16T12:00:00-05:00/2026-11-17T12:00:00-05:00", "--json"])
        #expect(json.stdout == #"{"target":"24 business hours","clockStart":"2026-11-16T09:00:00-05:00","due":"2026-11-18T09:00:00-05:00"}"# + "\n")
        let explained = try await Self.accord(["sla", "due", "--policy", "plex", "--plan", "silver", "--priority", "p2", "--opened", "2026-11-25T15:00:00-05:00", "--explain"])
        #expect(explained.stdout.contains("calendar: business-days (version 1), zone America/Detroit"))
        #expect(explained.stdout.contains("2026-11-26 thu: holiday, Thanksgiving Day: skipped"))
        #expect(explained.stdout.contains("2026-11-25 wed: open 00:00-24:00; counted 15:00-24:00"))
        #expect(explained.stdout.contains("due: 2026-11-27T15:00:00-05:00"))
    }

    @Test func noTargetIsReported() async throws {
        let run = try await Self.accord(["sla", "due", "--policy", "pro-plus", "--plan", "free", "--opened", "2026-11-20T10:00:00-06:00", "--json"])
        #expect(run.status == 0 && run.stdout == #"{"target":"no target","clockStart":null,"due":null}"# + "\n")
    }

    @Test func badInputExitsNonZeroNamingTheValueAndChoices() async throws {
        let cases: [([String], String)] = [
            (["--policy", "plex", "--plan", "gold", "--priority", "p9", "--opened", "2026-11-20T10:00:00Z"], "unknown priority 'p9'; valid choices: p1, p2, p3, p4"),
            (["--policy", "acme", "--plan", "gold", "--opened", "2026-11-20T10:00:00Z"], "unknown policy 'acme'; presets: plex, plixer, plm-group, pro-plus"),
            (["--policy", "plex", "--plan", "gold", "--priority", "p1", "--opened", "noon"], "invalid --opened 'noon'"),
            (["--policy", "plixer", "--plan", "standard", "--metric", "patch", "--cvss", "10.5", "--opened", "2026-11-20T10:00:00Z"], "a CVSS score lies between 0 and 10"),
            (["--policy", "plex", "--plan", "gold", "--priority", "p2", "--opened", "2026-11-20T10:00:00Z", "--pause", "2026-11-20T12:00:00Z"], "write FROM/TO"),
            (["--policy", "plex", "--plan", "gold", "--priority", "p2", "--opened", "2026-11-20T10:00:00Z",
              "--pause", "2026-11-20T12:00:00Z/2026-11-20T14:00:00Z", "--pause", "2026-11-20T13:00:00Z/2026-11-20T15:00:00Z"], "overlap"),
            (["--policy", "plm-group", "--plan", "premium", "--priority", "high", "--opened", "2026-11-20T10:00:00Z"], "region is required"),
            (["--batch", "-", "--plan", "gold"], "--batch takes every question from its input lines"),
            (["--batch", "/nonexistent/questions.jsonl"], "cannot read batch file '/nonexistent/questions.jsonl'"),
        ]
        for (arguments, message) in cases {
            let run = try await Self.accord(["sla", "due"] + arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }

    @Test func serveRefusesAReadCacheLifetimeOutOfRange() async throws {
        for value in ["-1", "3601", "nan"] {
            let run = try await Self.accord(["serve", "--db", "/nonexistent/never-created.sqlite", "--read-cache-seconds=\(value)"])
            #expect(run.status != 0, "\(value)")
            #expect(run.stderr.contains("--read-cache-seconds must be between 0 and 3600"), "\(value): \(run.stderr)")
        }
        let halfTLS = try await Self.accord(["serve", "--db", "/nonexistent/never-created.sqlite", "--tls-cert", "cert.pem"])
        #expect(halfTLS.status != 0 && halfTLS.stderr.contains("--tls-cert and --tls-key go together"), "\(halfTLS.stderr)")
        let idle = try await Self.accord(["serve", "--db", "/nonexistent/never-created.sqlite", "--idle-timeout", "0"])
        #expect(idle.status != 0 && idle.stderr.contains("--idle-timeout must be between 1 and 3600"), "\(idle.stderr)")
        for (arguments, message) in [
            (["--head-timeout", "0"], "--head-timeout must be between 1 and 600 seconds, not 0"),
            (["--body-timeout", "3601"], "--body-timeout must be between 1 and 3600 seconds, not 3601"),
            (["--max-connections", "0"], "--max-connections must be between 1 and 1000000, not 0"),
            (["--max-connections-per-address", "0"], "--max-connections-per-address must be between 1 and 100000, not 0"),
            (["--max-requests-per-connection", "100001"], "--max-requests-per-connection must be between 1 and 100000, not 100001"),
            // Three open files a connection: a million never fit (the limit is raised at most to 2^20).
            (["--max-connections", "1000000"], "--max-connections 1000000 needs 3000256 open files, but this process may have"),
        ] {
            let run = try await Self.accord(["serve", "--db", "/nonexistent/never-created.sqlite"] + arguments)
            #expect(run.status != 0 && run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
        for value in ["-1", "10001"] {
            let run = try await Self.accord(["serve", "--db", "/nonexistent/never-created.sqlite", "--auth-failures-per-minute=\(value)"])
            #expect(run.status != 0 && run.stderr.contains("--auth-failures-per-minute must be between 0 and 10000"), "\(value): \(run.stderr)")
        }
    }

    /// The SMTP relay's settings are checked before the desk starts: what is missing or unsafe is
    /// named, and a password is never accepted for a connection without TLS.
    @Test func serveRefusesUnusableRelaySettings() async throws {
        let serve = ["serve", "--db", "/nonexistent/never-created.sqlite"]
        let passwordFile = FileManager.default.temporaryDirectory.appendingPathComponent("accord-smtp-\(UUID())").path
        try "s3cret\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: passwordFile) }
        for (arguments, message) in [
            (["--smtp", "smtp.test:587", "--smtp-security", "ssl"], "--smtp-security must be none, starttls or tls; got 'ssl'"),
            (["--smtp", "smtp.test:587", "--smtp-user", "desk"], "--smtp-user needs a password: --smtp-password-file, or ACCORD_SMTP_PASSWORD"),
            (["--smtp", "smtp.test:25", "--smtp-user", "desk", "--smtp-security", "none", "--smtp-password-file", passwordFile],
             "--smtp-user needs --smtp-security starttls or tls: a password is never sent to a relay in clear"),
            (["--smtp", "smtp.test:587", "--smtp-user", "desk", "--smtp-password-file", "/nonexistent/password"], "--smtp-password-file: cannot read /nonexistent/password"),
            (["--smtp", "smtp.test:587", "--smtp-password-file", passwordFile], "--smtp-password-file needs --smtp-user"),
            (["--smtp", "smtp.test:587", "--smtp-security", "starttls", "--smtp-ca-file", "/nonexistent/ca.pem"], "--smtp-ca-file: cannot read the SMTP relay's certificate authorities from /nonexistent/ca.pem"),
            (["--smtp-user", "desk"], "--smtp-user is for --smtp, which is not given"),
            (["--sendmail", "/usr/sbin/sendmail", "--smtp-security", "tls"], "--smtp-security is for --smtp, which is not given"),
        ] {
            let run = try await Self.accord(serve + arguments)
            #expect(run.status != 0 && run.stderr.contains(message), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("s3cret"))
        }
    }

    /// An IMAP mailbox that cannot be used is refused before the desk starts, saying why.
    @Test func serveRefusesAnUnusableIMAPMailbox() async throws {
        for (url, message) in [
            ("imap://desk@mail.test/INBOX?password-env=IMAP_PW", "--imap: imap:// sends the password in clear"),
            ("imaps://desk@mail.test/INBOX", "--imap: give the password with password-file=PATH or password-env=NAME"),
            ("imaps://desk@mail.test/INBOX?password-file=/nonexistent/pw", "--imap: password-file: cannot read /nonexistent/pw"),
        ] {
            let run = try await Self.accord(["serve", "--db", "/nonexistent/never-created.sqlite", "--imap", url])
            #expect(run.status != 0 && run.stderr.contains(message), "\(url): \(run.stderr)")
        }
    }

    @Test func sweepAndWebhookCommandsOnAnSQLiteDesk() async throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("accord-cli-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        // A command on a desk that is not there refuses, instead of creating an empty one and reporting on it.
        for arguments in [["sla", "sweep", "--db", db, "--at", "2026-03-02T09:00:00Z"], ["webhook", "list", "--db", db],
                          ["token", "create", "--db", db, "--email", "admin@localhost"]] {
            let missing = try await Self.accord(arguments)
            #expect(missing.status != 0, "\(arguments)")
            #expect(missing.stderr.contains("no desk database at '\(db)'"), "\(arguments): \(missing.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db), "\(arguments) created the file")
        }
        let bad: [([String], String)] = [
            (["sla", "sweep", "--db", db, "--at", "noon"], "--at must be now or an ISO 8601 instant with an offset"),
            (["sla", "sweep", "--db", db, "--at", "2099-01-01T00:00:00Z"], "is later than now"),
            (["sla", "sweep", "--db", db, "--at", "2026-03-02T09:00:00Z", "--smtp", "mailhost"], "--smtp must be host:port"),
            (["sla", "sweep", "--db", db, "--at", "2026-03-02T09:00:00Z", "--smtp", "a:25", "--sendmail", "/usr/sbin/sendmail"], "either --smtp or --sendmail"),
            (["webhook", "add", "--db", db, "--url", "ftp://x"], "--url must be an http or https URL"),
            (["webhook", "add", "--db", db, "--url", "http://127.0.0.1:9/hook"], "--url is refused: 127.0.0.1 resolves to 127.0.0.1, in 127.0.0.0/8"),
            (["webhook", "add", "--db", db, "--url", "http://10.0.0.1/hook", "--allow-network", "banana"], "--allow-network 'banana' is not a network in CIDR notation"),
            (["webhook", "add", "--db", db, "--url", "https://ops.test/hook", "--events", "sla.warning,sla.oops"], "unknown event 'sla.oops'"),
            (["webhook", "remove", "--db", db, "nope"], "'nope' is not a webhook id"),
        ]
        for (arguments, message) in bad {
            let run = try await Self.accord(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
        let added = try await Self.accord(["webhook", "add", "--db", db, "--create", "--url", "https://ops.test/hook", "--secret", "s3cret"])
        let internalHook = try await Self.accord(["webhook", "add", "--db", db, "--url", "http://10.0.0.1/hook", "--allow-network", "10.0.0.0/8"])
        #expect(internalHook.status == 0, "an operator may allow a network: \(internalHook.stderr)")
        #expect(added.status == 0, "\(added.stderr)")
        let id = try #require(added.stdout.split(separator: " ").dropFirst().first.map(String.init))
        #expect(try await Self.accord(["webhook", "list", "--db", db]).stdout.contains("\(id)  active   https://ops.test/hook  sla.warning,sla.breach"))
        #expect(try await Self.accord(["webhook", "list", "--db", db]).stdout.contains("http://10.0.0.1/hook"))
        #expect(try await Self.accord(["webhook", "remove", "--db", db, id]).status == 0)
        let again = try await Self.accord(["webhook", "remove", "--db", db, id])
        #expect(again.status != 0 && again.stderr.contains("no active webhook has the id"))
        let sweep = try await Self.accord(["sla", "sweep", "--db", db, "--at", "2026-03-02T09:00:00Z"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout.isEmpty && sweep.stderr.contains("raised 0 alarm(s) at 2026-03-02T09:00:00Z"))
        let now = try await Self.accord(["sla", "sweep", "--db", db, "--at", "now"])
        #expect(now.status == 0 && now.stderr.contains("raised 0 alarm(s) at 20"), "\(now.stderr)")
        let future = try await Self.accord(["sla", "sweep", "--db", db, "--at", "2099-01-01T00:00:00Z"])
        #expect(future.status != 0 && future.stderr.contains("--force"))
        let forced = try await Self.accord(["sla", "sweep", "--db", db, "--at", "2099-01-01T00:00:00Z", "--force"])
        #expect(forced.status == 0 && forced.stderr.contains("raised 0 alarm(s) at 2099-01-01T00:00:00Z"), "\(forced.stderr)")
    }

    @Test func batchWritesOneLinePerInputLineInOrder() async throws {
        let input = """
            {"policy":"plex","plan":"silver","priority":"p4","opened":"2026-11-20T10:00:00-05:00"}
            not json

            {"policy":"plixer","plan":"standard","metric":"patch","cvss":9.8,"opened":"2026-05-01T12:00:00-04:00","patchAvailable":"2026-05-10T09:00:00-04:00"}
            \t\u{20}
            {"policy":"plm-group","plan":"premium","priority":"question","region":"norway","opened":"2026-02-23T11:00:00+01:00"}

            """
        let run = try await Self.accord(["sla", "due", "--batch", "-"], input: input)
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == 6, "one answer per input line, blank lines too")
        #expect(lines[0] == #"{"target":"5 business days","clockStart":"2026-11-20T10:00:00-05:00","due":"2026-11-30T10:00:00-05:00"}"#)
        #expect(lines[1].hasPrefix(#"{"error":"malformed JSON"#))
        #expect(lines[2] == #"{"error":"empty line"}"#)
        #expect(lines[3] == #"{"target":"7 days","clockStart":"2026-05-10T09:00:00-04:00","due":"2026-05-17T09:00:00-04:00"}"#)
        #expect(lines[4] == #"{"error":"empty line"}"#)
        #expect(lines[5] == #"{"target":"no target","clockStart":null,"due":null}"#)
    }

    /// Piped questions are answered as they come: 500 answers arrive while the input is still
    /// open, so a process killed afterwards has lost nothing it computed.
    @Test(.timeLimit(.minutes(2))) func batchAnswersStreamBeforeTheInputEnds() async throws {
        let line = #"{"policy":"plex","plan":"gold","priority":"p2","opened":"2026-11-16T09:00:00-05:00"}"# + "\n"
        let result = try await Subprocess.run(.path(FilePath(Self.executable.path)), arguments: ["sla", "due", "--batch", "-"],
                                              input: .inputWriter, output: .sequence, error: .discarded) { execution in
            _ = try await execution.standardInputWriter.write(Data(String(repeating: line, count: 500).utf8))
            var answers: [String] = []
            for try await answer in execution.standardOutput.strings() {
                answers.append(answer)
                if answers.count == 500 { break }
            }
            try execution.send(signal: .terminate)  // SIGTERM with the input still open: nothing already answered is lost
            return answers
        }
        #expect(result.closureResult.count == 500)
        #expect(result.closureResult.allSatisfy { $0 == #"{"target":"12 business hours","clockStart":"2026-11-16T09:00:00-05:00","due":"2026-11-16T21:00:00-05:00"}"# })
    }

    @Test func policyListShowAndCheck() async throws {
        let list = try await Self.accord(["policy", "list"])
        #expect(list.stdout.split(separator: "\n").map { $0.split(separator: " ")[0] } == ["plex", "plixer", "plm-group", "pro-plus"])
        let show = try await Self.accord(["policy", "show", "plm-group"])
        #expect(show.stdout.contains("denmark: Denmark, calendar denmark, mailbox support@plmgroup.dk"))
        #expect(show.stdout.contains("premium: critical 2 business hours; high 4 business hours; medium 8 business hours; low 2 business days; question no target"))
        let yaml = try await Self.accord(["policy", "show", "plex", "--yaml"])
        #expect(yaml.stdout.hasPrefix("# Plex Customer Care Plans"))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.yaml")
        try await Self.accord(["policy", "show", "pro-plus", "--yaml"]).stdout.write(to: good, atomically: true, encoding: .utf8)
        let ok = try await Self.accord(["policy", "check", good.path])
        #expect(ok.status == 0 && ok.stdout.contains("OK: policy pro-plus"))
        let bad = directory.appendingPathComponent("bad.yaml")
        try "accord: 1\nid: x\nname: x\nversion: '1'\nzone: UTC\ncalendars:\n  c: {hours: {mon: 09:00-08:00}}\nregions: [{id: r, calendar: c}]\nplans: [{id: p}]\nmetrics: [{id: m, kind: initial-response, targets: {q: 1 hour}}]\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let failed = try await Self.accord(["policy", "check", bad.path])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("\(bad.path):7:20: calendars.c.hours.mon: interval '09:00-08:00' ends before it starts"))
        #expect(failed.stderr.contains("\(bad.path):10:53: metrics[0].targets.q: unknown plan 'q'; plans: p"))
        #expect(failed.stderr.contains("2 problems found"))
        // Absurd numbers are refused with the field and the bound, never a crash.
        let huge = directory.appendingPathComponent("huge.yaml")
        try "accord: 1\nid: x\nname: x\nversion: '1'\nzone: UTC\ncalendars:\n  c: {hours: 24x7}\nregions: [{id: r, calendar: c}]\nplans: [{id: p}]\nmetrics: [{id: m, kind: initial-response, targets: {p: 100000000000000000000 calendar hours}}]\nreopen-within-days: 99999999999999999999\n"
            .write(to: huge, atomically: true, encoding: .utf8)
        let refused = try await Self.accord(["policy", "check", huge.path])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("metrics[0].targets.p: target '100000000000000000000 calendar hours' is more than ten years"))
        #expect(refused.stderr.contains("reopen-within-days: '99999999999999999999' is out of range: at most 3660"))
    }

    /// `accord mailgate` and `accord-mailgate`, as a mail server's pipe runs them: 0 only when the
    /// desk stored the message, 75 (try again later) for every failure — a desk that is down, a bad
    /// token, a bad option.
    @Test(arguments: [["accord", "mailgate"], ["accord-mailgate"]])
    func mailgateExitsZeroOnlyWhenTheDeskStoredTheMessage(program: [String]) async throws {
        let gateway: @Sendable ([String], String?) async throws -> Run = { arguments, input in
            let run = try await ChildProcess.run(Self.executable.deletingLastPathComponent().appendingPathComponent(program[0]).path,
                                                 Array(program.dropFirst()) + arguments, environment: [:], input: input.map { Data($0.utf8) })
            return Run(status: run.status, stdout: run.text, stderr: run.errors)
        }
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("accord-mailgate-\(UUID()).sqlite").path
        let tokenFile = db + ".mailgate-token"
        defer { for suffix in ["", "-wal", "-shm", ".lock", ".admin-token", ".mailgate-token", ".log"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        let port = TestPorts.next()
        let server = try await BackgroundProcess.start(Self.executable.path, ["serve", "--db", db, "--port", String(port), "--demo"],
                                                       environment: ProcessInfo.processInfo.environment.filter { $0.key != "DATABASE_URL" }, log: db + ".log")
        let url = "http://127.0.0.1:\(port)"
        // The desk listening first: a gateway says at once that a desk not yet listening did not answer.
        try #require(try await MailServerEndToEndTests.waitFor(180) { await MailServerEndToEndTests.healthy(url) }, "\(MailServerEndToEndTests.deskLog(db))")
        let token = try await Self.accord(["mail", "gateway-token", "create", "--label", "postfix", "--db", db])
        #expect(token.status == 0 && token.stdout.hasPrefix("acm_"), "\(token.stderr)")
        try token.stdout.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let message = "From: Ola Nordmann <ola@fjord.demo>\nTo: support@plmgroup.no\nSubject: Plotter offline\nMessage-ID: <gate-1@fjord.demo>\n\nThe plotter is offline.\n"
        let gate = ["--url", url, "--token-file", tokenFile, "--recipient", "support@plmgroup.no"]
        var delivered = try await gateway(gate, message)
        for _ in 0..<120 where delivered.status != 0 {
            try await Task.sleep(for: .milliseconds(250))
            delivered = try await gateway(gate, message)
        }
        #expect(delivered.status == 0, "\(delivered.stderr); the desk printed: \(MailServerEndToEndTests.deskLog(db))")
        #expect(delivered.stdout.contains(#""outcome":"case-created""#) && delivered.stdout.contains("PLM-"), "\(delivered.stdout)")
        let again = try await gateway(gate, message)
        #expect(again.status == 0 && again.stdout.contains(#""outcome":"duplicate""#), "\(again.stdout)\(again.stderr)")

        // A mail server that writes the envelope recipient into the message (Postfix's pipe flag D):
        // read from the topmost Delivered-To only when told to — the desk itself never reads it.
        let stamped = "Delivered-To: support@plmgroup.dk\nFrom: Ola Nordmann <ola@fjord.demo>\nTo: support@plmgroup.no\nSubject: Licence server down\nMessage-ID: <gate-2@fjord.demo>\n\nNo licences.\n"
        let fromHeader = try await gateway(["--url", url, "--token-file", tokenFile, "--recipient-header", "Delivered-To"], stamped)
        #expect(fromHeader.status == 0, "\(fromHeader.stderr)")
        let steered = try await MailServerEndToEndTests.caseNamed("Licence server down", url: url, adminToken: db + ".admin-token")
        #expect(steered?["region"] as? String == "denmark", "support@plmgroup.dk, from Delivered-To: \(steered ?? [:])")
        // The case's clocks start when the desk's own mail server accepted the message: the date
        // of the topmost Received field (that server's), not the sender's Date or the delivery's.
        let acceptedAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 - 3_600)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Oslo")
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        let received = "Received: from mx.fjord.demo by mail.plmgroup.no (Postfix) with ESMTPS id 4F2;\n\t\(formatter.string(from: acceptedAt))\n"
            + "Received: from laptop by mx.fjord.demo; Mon, 2 Mar 2026 08:00:00 +0100\n"
            + "From: Ola Nordmann <ola@fjord.demo>\nTo: support@plmgroup.no\nDate: Mon, 2 Mar 2026 08:00:00 +0100\nSubject: Scanner jammed\nMessage-ID: <gate-3@fjord.demo>\n\nJammed.\n"
        #expect(try await gateway(gate, received).status == 0)
        let scanner = try await MailServerEndToEndTests.caseNamed("Scanner jammed", url: url, adminToken: db + ".admin-token")
        let logged = (scanner?["loggedAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) }
        #expect(logged == acceptedAt, "logged \(scanner?["loggedAt"] ?? "nothing"), accepted \(acceptedAt)")

        let unknownField = try await gateway(["--url", url, "--token-file", tokenFile, "--recipient-header", "Subject"], stamped)
        #expect(unknownField.status == 75 && unknownField.stderr.contains("recipient-header"), "\(unknownField.stderr)")

        // Every failure is a temporary one, so the mail server keeps the message and retries.
        try "acm_not-a-token".write(toFile: tokenFile + ".bad", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: tokenFile + ".bad") }
        let badToken = try await gateway(["--url", url, "--token-file", tokenFile + ".bad"], message)
        #expect(badToken.status == 75 && badToken.stderr.contains("401"), "\(badToken.stderr)")
        // A desk that is down is said at once, not after --timeout's 60 s of attempts: a test (or a
        // mail server) trying again is not held a minute each time.
        let started = ContinuousClock.now
        let down = try await gateway(["--url", "http://127.0.0.1:\(TestPorts.next())", "--token-file", tokenFile], message)
        #expect(down.status == 75 && down.stderr.contains("did not answer"), "\(down.stderr)")
        #expect(ContinuousClock.now - started < .seconds(15), "a refused connection took \(ContinuousClock.now - started)")
        let tls = try await gateway(["--url", "https://127.0.0.1:\(port)", "--token-file", tokenFile, "--timeout", "5"], message)
        #expect(tls.status == 75, "\(tls.stderr)")
        if program == ["accord-mailgate"] {
            #expect(tls.stderr.contains("for https use 'accord mailgate'"), "\(tls.stderr)")
        }
        for options in [["--timeout", "0"], ["--bogus"], ["--url", "ftp://x"], ["--url", "http://[::1"], ["--timeout", "3601"], ["--url"]] {
            let bad = try await gateway(["--token-file", tokenFile] + options, message)
            #expect(bad.status == 75, "\(options): \(bad.status) \(bad.stderr)")
        }
        #expect(try await gateway(["--url", url, "--token-file", tokenFile], "").status == 75)
        let help = try await gateway(["--help"], nil)
        #expect(help.status == 0 && help.stdout.contains("--recipient"), "\(help.stdout)")

        // The administrator sees the quarantine through the same API.
        let quarantine = try await Self.accord(["mail", "quarantine", "list", "--url", url, "--token-file", db + ".admin-token"])
        #expect(quarantine.status == 0 && quarantine.stdout.contains("the quarantine is empty"), "\(quarantine.stdout)\(quarantine.stderr)")
        try await server.stop()
    }

    /// The everyday commands talk to a running desk through its API: `accord serve --demo` on a
    /// free port, then organization, person and case commands with the administrator's token.
    @Test func everydayCommandsGoThroughARunningDesksAPI() async throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("accord-api-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm", ".lock", ".admin-token"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        let port = TestPorts.next()
        let server = try await BackgroundProcess.start(Self.executable.path, ["serve", "--db", db, "--port", String(port), "--demo"],
                                                       environment: ProcessInfo.processInfo.environment.filter { $0.key != "DATABASE_URL" })
        let url = "http://127.0.0.1:\(port)"
        let desk = ["--url", url, "--token-file", db + ".admin-token"]
        var listed = try await Self.accord(["organization", "list"] + desk)
        for _ in 0..<120 where listed.status != 0 {
            try await Task.sleep(for: .milliseconds(250))
            listed = try await Self.accord(["organization", "list"] + desk)
        }
        #expect(listed.status == 0, "\(listed.stderr)")
        let prairie = try #require(listed.stdout.split(separator: "\n").first { $0.contains("Prairie Foods") })
        let id = String(prairie.prefix { $0 != " " })
        #expect(prairie.contains("pro-plus"))

        let renamed = try await Self.accord(["organization", "edit", id, "--name", "Prairie Foods Inc", "--reason", "new legal name"] + desk)
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(renamed.stdout.hasPrefix("Prairie Foods Inc: active, pro-plus"), "\(renamed.stdout)")
        // The desk's refusals come back in its own words, with the field, and a non-zero exit.
        let refused = try await Self.accord(["organization", "extend", id, "--term-end", "2020-01-01"] + desk)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("the desk refused:") && refused.stderr.contains("(termEnd)") && refused.stderr.contains("[HTTP 422]"), "\(refused.stderr)")
        let json = try await Self.accord(["organization", "edit", id, "--region", "us-central", "--name", "Prairie", "--json"] + desk)
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["name"] as? String == "Prairie", "\(json.stdout)")

        let found = try await Self.accord(["case", "search", "scanner", "gateway"] + desk)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("Scanner gateway offline"), "\(found.stdout)")
        #expect(try await Self.accord(["case", "search", "nosuchwordanywhere"] + desk).stdout.contains("no case holds nosuchwordanywhere"))

        let plan = try await Self.accord(["organization", "plan", id] + desk)
        #expect(plan.status == 0 && plan.stdout.hasPrefix("pro-plus (active)") && plan.stdout.contains("initial-response 24 business hours"), "\(plan.stdout)\(plan.stderr)")
        let staff = try await Self.accord(["person", "staff"] + desk)
        #expect(staff.status == 0 && staff.stdout.contains("agent.tier1@accord.demo: agent, tier 1"), "\(staff.stdout)\(staff.stderr)")
        let adminID = String(try #require(staff.stdout.split(separator: "\n").first { $0.contains("admin@localhost") }).prefix { $0 != " " })
        let tokens = try await Self.accord(["person", "tokens", adminID] + desk)
        #expect(tokens.status == 0 && !tokens.stdout.isEmpty, "\(tokens.stderr)")
        let waiting = try await Self.accord(["case", "list", "--assignee", "none", "--limit", "5"] + desk)
        #expect(waiting.status == 0 && !waiting.stdout.isEmpty, "\(waiting.stderr)")
        let badAssignee = try await Self.accord(["case", "list", "--assignee", "someone"] + desk)
        #expect(badAssignee.status != 0 && badAssignee.stderr.contains("(assignee)"), "\(badAssignee.stderr)")

        // The attainment report: the desk's CSV as it is, its JSON, and a table of the same numbers.
        let token = try String(contentsOfFile: db + ".admin-token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        var direct = URLRequest(url: try #require(URL(string: "\(url)/api/v1/reports/attainment?period=2026&by=customer&format=csv")))
        direct.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let apiCSV = String(decoding: try await URLSession.shared.data(for: direct).0, as: UTF8.self)
        let csv = try await Self.accord(["report", "attainment", "--period", "2026", "--by", "customer", "--format", "csv"] + desk)
        #expect(csv.status == 0 && csv.stdout == apiCSV && apiCSV.hasPrefix("customer,customer_name,metric,"), "\(csv.stdout)\(csv.stderr)")
        let reportJSON = try await Self.accord(["report", "attainment", "--period", "2026", "--format", "json"] + desk)
        let totals = (try JSONSerialization.jsonObject(with: Data(reportJSON.stdout.utf8)) as? [String: Any])?["totals"] as? [[String: Any]]
        let firstResponse = try #require(totals?.first { $0["metric"] as? String == "initial-response" })
        let table = try await Self.accord(["report", "attainment", "--period", "2026", "--by", "customer", "--only", "priority=p1"] + desk)
        #expect(table.status == 0 && table.stdout.contains("Acme Manufacturing") && table.stdout.contains("\ntotal "), "\(table.stdout)\(table.stderr)")
        let whole = try await Self.accord(["report", "attainment", "--period", "2026"] + desk)
        let line = try #require(whole.stdout.split(separator: "\n").first { $0.hasPrefix("initial-response") })
        #expect(line.split(separator: " ", omittingEmptySubsequences: true).prefix(3) == ["initial-response", "\(firstResponse["withTarget"] as? Int ?? -1)",
                                                                                          "\(firstResponse["met"] as? Int ?? -1)"], "\(whole.stdout)")
        // The demo's Northwind advisory (CVSS 9.1, no patch yet) waits in the vulnerability ledger.
        let ledger = try await Self.accord(["report", "ledger", "vulnerabilities"] + desk)
        let advisory = try #require(ledger.stdout.split(separator: "\n").first { $0.contains("NWN-") }, "\(ledger.stdout)\(ledger.stderr)")
        #expect(advisory.hasPrefix("waiting") && advisory.contains("9.1 critical") && advisory.contains("OpenSSL advisory"), "\(ledger.stdout)")
        let badKind = try await Self.accord(["report", "ledger", "patches"] + desk)
        #expect(badKind.status != 0 && badKind.stderr.contains("vulnerabilities"), "\(badKind.stderr)")
        let acmeLine = try #require(listed.stdout.split(separator: "\n").first { $0.contains("Acme Manufacturing") })
        let acmeYear = try await Self.accord(["report", "maintenance", String(acmeLine.prefix { $0 != " " }), "--year", "2026"] + desk)
        #expect(acmeYear.status == 0 && acmeYear.stdout.contains("within the contract's limits") && acmeYear.stdout.contains("Dec  0 min of 60"),
                "\(acmeYear.stdout)\(acmeYear.stderr)")
        // Acme (Plex Gold) is granted quarterly reviews: the current quarter's, and no monthly one.
        let quarter = "2026-Q\((Calendar(identifier: .gregorian).component(.month, from: Date()) + 2) / 3)"
        let review = try await Self.accord(["report", "review", "--organization", String(acmeLine.prefix { $0 != " " }), "--period", quarter] + desk)
        #expect(review.status == 0 && review.stdout.hasPrefix("Service review: Acme Manufacturing \(quarter)") && review.stdout.contains("Renewal: term ends"),
                "\(review.stdout)\(review.stderr)")
        let monthlyReview = try await Self.accord(["report", "review", "--organization", String(acmeLine.prefix { $0 != " " }), "--period", "2026-01"] + desk)
        #expect(monthlyReview.status != 0 && monthlyReview.stderr.contains("not a monthly one") && monthlyReview.stderr.contains("[HTTP 409]"), "\(monthlyReview.stderr)")
        let badPeriod = try await Self.accord(["report", "attainment", "--period", "2026-Q5"] + desk)
        #expect(badPeriod.status != 0 && badPeriod.stderr.contains("(period)") && badPeriod.stderr.contains("[HTTP 400]"), "\(badPeriod.stderr)")
        let badOnly = try await Self.accord(["report", "attainment", "--period", "2026", "--only", "priority"] + desk)
        #expect(badOnly.status != 0 && badOnly.stderr.contains("--only must be CUT=VALUE"), "\(badOnly.stderr)")

        // History out and in: an export in the import's format, checked by a dry run, then a file
        // with a bad line imported around it, and imported again without making anything twice.
        let exportFile = db + ".export.jsonl"
        defer { for suffix in [".export.jsonl", ".mixed.jsonl"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        let exported = try await Self.accord(["export", "cases", "--db", db, "--output", exportFile])
        #expect(exported.status == 0 && exported.stderr.contains("exported "), "\(exported.stderr)")
        let exportedLines = try String(contentsOfFile: exportFile, encoding: .utf8).split(separator: "\n")
        #expect(exportedLines.count >= 5 && exportedLines[0].contains(#""externalId":"#), "\(exportedLines.first ?? "")")
        let dry = try await Self.accord(["import", "cases", exportFile, "--db", db, "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("dry run: \(exportedLines.count) case(s) would be imported, 0 line(s) refused"), "\(dry.stdout)\(dry.stderr)")
        let relabeled = String(exportedLines[0]).replacingOccurrences(of: #""externalId":"[^"]*""#, with: #""externalId":"cli-1""#, options: .regularExpression)
        try (relabeled + "\n{bad\n\n").write(toFile: db + ".mixed.jsonl", atomically: true, encoding: .utf8)
        let mixed = try await Self.accord(["import", "cases", db + ".mixed.jsonl", "--db", db])
        #expect(mixed.status == 1 && mixed.stderr.contains("line 2: not a JSON object"), "\(mixed.stderr)")
        #expect(mixed.stdout.contains("imported 1 case(s); 0 already imported; 1 line(s) refused"), "\(mixed.stdout)")
        let again = try await Self.accord(["import", "cases", db + ".mixed.jsonl", "--db", db])
        #expect(again.stdout.contains("imported 0 case(s); 1 already imported; 1 line(s) refused"), "\(again.stdout)")
        let badOrganization = try await Self.accord(["export", "cases", "--db", db, "--organization", "acme"])
        #expect(badOrganization.status != 0 && badOrganization.stderr.contains("--organization must be an organization's id"), "\(badOrganization.stderr)")

        // The operator sets a web password from standard input, or makes an invitation link.
        let set = try await Self.accord(["user", "set-password", "--email", "ann@acme.demo", "--db", db], input: "a long enough passphrase\n")
        #expect(set.status == 0 && set.stdout.contains("Password set for ann@acme.demo"), "\(set.stdout)\(set.stderr)")
        let short = try await Self.accord(["user", "set-password", "--email", "ann@acme.demo", "--db", db], input: "short\n")
        #expect(short.status != 0 && short.stderr.contains("the password must be at least 12 characters long (it has 5)"), "\(short.stderr)")
        let nobody = try await Self.accord(["user", "set-password", "--email", "nobody@acme.demo", "--db", db], input: "a long enough passphrase\n")
        #expect(nobody.status != 0 && nobody.stderr.contains("no person has the email 'nobody@acme.demo'"), "\(nobody.stderr)")
        let empty = try await Self.accord(["user", "set-password", "--email", "ann@acme.demo", "--db", db], input: "")
        #expect(empty.status != 0 && empty.stderr.contains("no password on standard input"), "\(empty.stderr)")
        let invited = try await Self.accord(["user", "invite", "--email", "bob@acme.demo", "--public-url", url, "--db", db])
        #expect(invited.status == 0 && invited.stdout.hasPrefix("\(url)/invitations/aci_"), "\(invited.stdout)\(invited.stderr)")
        let link = try #require(URL(string: invited.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let (page, response) = try await URLSession.shared.data(from: link)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: page, as: UTF8.self).contains("Choose a password for <strong>bob@acme.demo</strong>"))
        let badHours = try await Self.accord(["user", "invite", "--email", "bob@acme.demo", "--hours", "0", "--db", db])
        #expect(badHours.status != 0 && badHours.stderr.contains("--hours must be between 1 and 720, not 0"), "\(badHours.stderr)")

        // Without a token, or against nothing listening, a clear message.
        let noToken = try await Self.accord(["case", "search", "x", "--url", url])
        #expect(noToken.status != 0 && noToken.stderr.contains("give an API token"), "\(noToken.stderr)")
        let badURL = try await Self.accord(["case", "search", "x", "--url", "ftp://nowhere"] + ["--token-file", db + ".admin-token"])
        #expect(badURL.status != 0 && badURL.stderr.contains("--url must be the desk's http(s) URL"), "\(badURL.stderr)")
        try await server.stop()
    }
}
