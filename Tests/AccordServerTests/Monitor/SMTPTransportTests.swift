@testable import AccordServer
import AccordTestSupport
import Foundation
import Testing

/// The desk's mail through relays as providers run them (aiosmtpd, `Tests/Mail/smtp_relay.py`):
/// STARTTLS and TLS from the first byte, the certificate checked, AUTH PLAIN and LOGIN; and the
/// refusals — a wrong password, an untrusted certificate, a relay without STARTTLS — each with
/// what went wrong and nothing sent.
@Suite(.serialized) struct SMTPTransportTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Mail/smtp_relay.py").path

    /// A relay running on a free port; messages land in `out`.
    struct Relay {
        let process: BackgroundProcess
        let port: Int
        let out: URL
        let certificate: String

        static func start(_ mode: String, mechanisms: String = "PLAIN+LOGIN", in directory: URL, cert: String, key: String) async throws -> Relay {
            let port = TestPorts.next()
            let out = directory.appendingPathComponent("out-\(mode)-\(port)")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let log = directory.appendingPathComponent("relay-\(port).log").path
            let process = try await BackgroundProcess.start("/usr/bin/env", ["python3", script, String(port), mode, cert, key, "desk", "s3cret pass", out.path, mechanisms], log: log)
            for _ in 0..<100 {
                if (try? String(contentsOfFile: log, encoding: .utf8))?.contains("READY") == true { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            try #require((try? String(contentsOfFile: log, encoding: .utf8))?.contains("READY") == true, "the relay did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            return Relay(process: process, port: port, out: out, certificate: cert)
        }

        var received: [String] {
            ((try? FileManager.default.contentsOfDirectory(at: out, includingPropertiesForKeys: nil)) ?? [])
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
                .compactMap { try? String(contentsOf: $0, encoding: .utf8) }
        }
    }

    static let mail = AlertMail(from: "PLM Support <support@plmgroup.no>", to: "ola@fjord.demo", subject: "[PLM-2026-000001] Plotter stopped",
                                body: "We are on it.\n.a line starting with a dot\n", date: Date(timeIntervalSince1970: 1_772_442_000), messageID: "relay-1@accord.test")

    static func transport(_ relay: Relay, _ security: SMTPRelay.Security, password: String = "s3cret pass", trusting: Bool = true) -> SMTPTransport {
        SMTPTransport(relay: SMTPRelay(host: "127.0.0.1", port: relay.port, security: security,
                                       credentials: .init(user: "desk", password: password), trustedCertificates: trusting ? relay.certificate : nil),
                      heloName: "desk.test", timeout: .seconds(20))
    }

    static func available() async -> Bool {
        await AlertDeliveryTests.aiosmtpdAvailable() || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    @Test(.enabled { await available() })
    func starttlsAndTLSFromTheFirstByteWithPlainAndLogin() async throws {
        let (directory, cert, key) = try await TLSTests.certificate()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (mode, security, mechanisms) in [("starttls", SMTPRelay.Security.starttls, "PLAIN+LOGIN"), ("tls", .tls, "PLAIN+LOGIN"), ("starttls", .starttls, "LOGIN"), ("tls", .tls, "LOGIN")] {
            let relay = try await Relay.start(mode, mechanisms: mechanisms, in: directory, cert: cert, key: key)
            try await Self.transport(relay, security).send(Self.mail)
            let received = relay.received
            #expect(received.count == 1, "\(mode) \(mechanisms)")
            let message = received.first ?? ""
            #expect(message.hasPrefix("X-Signed-In: desk\r\nX-TLS: True\r\n"), "\(mode) \(mechanisms): \(message.prefix(200))")
            #expect(message.contains("Subject: [PLM-2026-000001] Plotter stopped\r\n"))
            // Dot-stuffing undone by the relay: the line arrives as written.
            #expect(message.contains("\r\n.a line starting with a dot\r\n"))
            try await relay.process.stop(SIGKILL)
        }
    }

    @Test(.enabled { await available() })
    func refusalsSayWhatWentWrongAndSendNothing() async throws {
        let (directory, cert, key) = try await TLSTests.certificate()
        defer { try? FileManager.default.removeItem(at: directory) }
        let relay = try await Relay.start("starttls", in: directory, cert: cert, key: key)
        // A wrong password: the relay's answer, the user, never the password.
        do {
            try await Self.transport(relay, .starttls, password: "wrong horse").send(Self.mail)
            Issue.record("a wrong password was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("AUTH PLAIN as desk refused: 535"), "\(text)")
            #expect(!text.contains("wrong horse") && !text.contains(Data("\0desk\0wrong horse".utf8).base64EncodedString()))
        }
        // A certificate no trusted authority signed (the system's alone here).
        do {
            try await Self.transport(relay, .starttls, trusting: false).send(Self.mail)
            Issue.record("an untrusted certificate was accepted")
        } catch {
            #expect("\(error)".contains("TLS with the SMTP relay 127.0.0.1:\(relay.port) failed"), "\(error)")
        }
        #expect(relay.received.isEmpty)
        try await relay.process.stop(SIGKILL)

        // A relay that offers no STARTTLS is never used in clear.
        let plain = try await Relay.start("plain", in: directory, cert: cert, key: key)
        do {
            try await Self.transport(plain, .starttls).send(Self.mail)
            Issue.record("mail went to a relay without STARTTLS")
        } catch {
            #expect("\(error)".contains("does not offer STARTTLS, which its security setting requires; nothing was sent in clear"), "\(error)")
        }
        #expect(plain.received.isEmpty)
        // Nor is a password sent without TLS, whatever the configuration says.
        let clear = SMTPTransport(relay: SMTPRelay(host: "127.0.0.1", port: plain.port, security: .none, credentials: .init(user: "desk", password: "s3cret pass")),
                                  heloName: "desk.test", timeout: .seconds(20))
        do {
            try await clear.send(Self.mail)
            Issue.record("a password went out in clear")
        } catch {
            #expect("\(error)".contains("a password is never sent to an SMTP relay without TLS"), "\(error)")
        }
        #expect(plain.received.isEmpty)
        try await plain.process.stop(SIGKILL)
    }

    @Test func credentialsNeverPrintTheirPassword() {
        let relay = SMTPRelay(host: "smtp.office365.com", port: 587, security: .starttls, credentials: .init(user: "desk@plmgroup.dk", password: "hunter2"))
        #expect("\(relay)" == "smtp.office365.com:587 with STARTTLS as desk@plmgroup.dk")
        // However a configuration is printed — the relay, its account, the monitor's mail setting.
        let mail = SLAMonitor.Configuration.Mail.smtp(relay)
        for printed in ["\(relay.credentials!)", String(reflecting: relay), String(reflecting: relay.credentials!), "\(mail)", String(reflecting: mail)] {
            #expect(!printed.contains("hunter2"), "\(printed)")
        }
    }
}
