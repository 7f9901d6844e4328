import AccordServer
import AccordTestSupport
import Foundation
import Testing

/// A Dovecot of its own (Debian's `dovecot-imapd`) for the IMAP tests: IMAPS on a free port with a
/// certificate for 127.0.0.1, one account, Maildirs under a folder of its own. Messages go in and
/// are looked at with Python's imaplib, a real client. Needs root (Dovecot's master starts as root);
/// CI installs it.
struct Dovecot {
    static let user = "support@plmgroup.dk"
    static let password = "s3cret-imap"

    let directory: URL
    let port: Int
    let certificate: String
    let process: BackgroundProcess

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot") && getuid() == 0
    }

    /// Runs `body` with a Dovecot of its own, stopped (and its log shown, on failure) however `body`
    /// ends. With `introspection`, it also takes OAuth 2 access tokens (XOAUTH2), asking the token
    /// introspection endpoint (RFC 7662) on that port whether a token is active and whose.
    static func running(introspection: Int? = nil, _ body: (Dovecot) async throws -> Void) async throws {
        let dovecot = try await start(introspection: introspection)
        do {
            try await body(dovecot)
        } catch {
            Issue.record("Dovecot's log: \(dovecot.log.suffix(3000))")
            try await dovecot.stop()
            throw error
        }
        try await dovecot.stop()
    }

    static func start(introspection: Int? = nil) async throws -> Dovecot {
        let (directory, cert, key) = try await TLSTests.certificate()
        let port = TestPorts.next()
        for folder in ["run", "state", "home"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory.appendingPathComponent("home").path)
        let path = directory.path
        try "\(user):{PLAIN}\(password)\n".write(toFile: path + "/users", atomically: true, encoding: .utf8)
        try """
            base_dir = \(path)/run
            state_dir = \(path)/state
            log_path = \(path)/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            ssl = required
            ssl_cert = <\(cert)
            ssl_key = <\(key)
            auth_mechanisms = plain login\(introspection == nil ? "" : " xoauth2")
            default_login_user = dovenull
            default_internal_user = dovecot
            default_internal_group = dovecot
            first_valid_uid = 1
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u \(path)/users
            }
            \(introspection == nil ? "" : """
            passdb {
              driver = oauth2
              mechanisms = xoauth2
              args = \(path)/oauth2.conf.ext
            }
            """)
            userdb {
              driver = static
              args = uid=nobody gid=nogroup home=\(path)/home/%u
            }
            mail_location = maildir:~/Maildir
            namespace inbox {
              inbox = yes
              separator = /
            }
            service imap-login {
              inet_listener imap {
                port = 0
              }
              inet_listener imaps {
                port = \(port)
                ssl = yes
              }
            }
            protocol imap {
              mail_max_userip_connections = 50
              imap_idle_notify_interval = 10 secs
            }

            """.write(toFile: path + "/dovecot.conf", atomically: true, encoding: .utf8)
        if let introspection {
            try """
                introspection_mode = post
                introspection_url = http://127.0.0.1:\(introspection)/introspect
                username_attribute = username
                active_attribute = active
                active_value = true

                """.write(toFile: path + "/oauth2.conf.ext", atomically: true, encoding: .utf8)
        }
        let process = try await BackgroundProcess.start("/usr/sbin/dovecot", ["-F", "-c", path + "/dovecot.conf"], log: path + "/master.log")
        let dovecot = Dovecot(directory: directory, port: port, certificate: cert, process: process)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if (try? await dovecot.python("print('ok')", timeLimit: .seconds(10)).status) == 0 { return dovecot }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("Dovecot did not start: \(dovecot.log)")
        throw CancellationError()
    }

    var log: String {
        ["dovecot.log", "master.log"].compactMap { try? String(contentsOfFile: directory.appendingPathComponent($0).path, encoding: .utf8) }.joined(separator: "\n")
    }

    func stop() async throws {
        try await process.stop(SIGTERM)
        try? FileManager.default.removeItem(at: directory)
    }

    /// The account's INBOX as the desk fetches it: this server, its certificate trusted.
    func mailbox(after: IMAPMailbox.After, password: String = Dovecot.password) -> IMAPMailbox {
        mailbox(after: after, credential: .password(password))
    }

    func mailbox(after: IMAPMailbox.After, credential: IMAPMailbox.Credential) -> IMAPMailbox {
        IMAPMailbox(host: "127.0.0.1", port: port, tls: true, user: Self.user, credential: credential, folder: "INBOX", after: after,
                    recipient: Self.user, trustedCertificates: certificate)
    }

    /// Runs `body` (Python) signed in as the account, `m` the imaplib connection.
    func python(_ body: String, input: Data? = nil, timeLimit: Duration = .seconds(120)) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run(command: "python3", timeLimit: timeLimit, ["-c", """
            import imaplib, json, ssl, sys, time
            m = imaplib.IMAP4_SSL('127.0.0.1', \(port), ssl_context=ssl.create_default_context(cafile='\(certificate)'), timeout=30)
            m.login('\(Self.user)', '\(Self.password)')
            \(body)
            m.logout()
            """], input: input)
    }

    /// Puts `message` into `folder` as delivered at `received` (its INTERNALDATE).
    func append(_ message: String, folder: String = "INBOX", received: Date) async throws {
        let run = try await python("m.append('\(folder)', None, imaplib.Time2Internaldate(\(Int(received.timeIntervalSince1970))), sys.stdin.buffer.read())",
                                   input: Data(message.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        try #require(run.status == 0, "append: \(run.errors)")
    }

    /// Each folder's messages: their subjects and flags.
    func folders() async throws -> [String: [[String]]] {
        let run = try await python("""
            out = {}
            for folder in ['INBOX', 'Accord']:
                typ, count = m.select(folder, readonly=True)
                if typ != 'OK':
                    continue
                if int(count[0]) == 0:
                    out[folder] = []
                    continue
                typ, data = m.fetch('1:*', '(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
                items = []
                for part in data:
                    if isinstance(part, tuple):
                        flags = ' '.join(f.decode() for f in imaplib.ParseFlags(part[0]))
                        items.append([part[1].decode().strip().replace('Subject: ', ''), flags])
                out[folder] = items
            print(json.dumps(out))
            """)
        try #require(run.status == 0, "list: \(run.errors)")
        return try JSONDecoder().decode([String: [[String]]].self, from: run.output)
    }
}
