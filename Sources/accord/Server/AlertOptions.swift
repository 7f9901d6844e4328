import AccordServer
import ArgumentParser
import Foundation

/// How the SLA monitor's staff alert mails leave the desk.
struct AlertOptions: ParsableArguments {
    @ArgumentParser.Option(help: ArgumentHelp("Send the desk's mail through this SMTP relay.", valueName: "host:port"))
    var smtp: String?

    @ArgumentParser.Option(help: ArgumentHelp("""
        How the connection to the relay is secured: none, starttls (refused if the relay does not \
        offer it) or tls (from the first byte). Default: tls on port 465, starttls when --smtp-user \
        is given, else none.
        """, valueName: "none|starttls|tls"))
    var smtpSecurity: String?

    @ArgumentParser.Option(help: "The account the desk signs in to the relay with (AUTH PLAIN or LOGIN, only over TLS).")
    var smtpUser: String?

    @ArgumentParser.Option(help: ArgumentHelp("""
        A file holding the relay account's password (its first line). Without it the password is \
        read from ACCORD_SMTP_PASSWORD. Never given on the command line, where any user could read it.
        """, valueName: "path"))
    var smtpPasswordFile: String?

    @ArgumentParser.Option(help: ArgumentHelp("A PEM file of certificate authorities trusted for the relay besides the system's.", valueName: "path"))
    var smtpCaFile: String?

    @ArgumentParser.Option(help: ArgumentHelp("Send alert mails with this sendmail-compatible command.", valueName: "path"))
    var sendmail: String?

    @ArgumentParser.Option(help: "The From address of alert mails.")
    var mailFrom = "Accord <accord@localhost>"

    @ArgumentParser.Option(help: "How many times a delivery is tried before it is given up (dead-lettered).")
    var deliveryAttempts = 8

    @Flag(help: "Mail warnings to assignees and team leads at once, not only in their team's working hours (breaches never wait).")
    var warnOutsideWorkingHours = false

    func monitorConfiguration() throws -> SLAMonitor.Configuration {
        var configuration = SLAMonitor.Configuration()
        configuration.mailFrom = mailFrom
        configuration.holdWarningsToWorkingHours = !warnOutsideWorkingHours
        guard deliveryAttempts >= 1 else { throw ValidationError("--delivery-attempts must be at least 1, not \(deliveryAttempts)") }
        configuration.retry.maxAttempts = deliveryAttempts
        switch (smtp, sendmail) {
        case (let relay?, nil):
            let parts = relay.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port), !parts[0].isEmpty else {
                throw ValidationError("--smtp must be host:port, such as localhost:25; got '\(relay)'")
            }
            configuration.mail = .smtp(try self.relay(host: String(parts[0]), port: port))
        case (nil, let path?):
            try requireNoRelayOptions()
            configuration.mail = .sendmail(path: path)
        case (nil, nil):
            try requireNoRelayOptions()
            configuration.mail = nil
        case (_?, _?):
            throw ValidationError("give either --smtp or --sendmail, not both")
        }
        return configuration
    }

    /// The relay `--smtp` names, with its security, account and authorities checked.
    private func relay(host: String, port: Int) throws -> SMTPRelay {
        let security: SMTPRelay.Security
        if let smtpSecurity {
            guard let chosen = SMTPRelay.Security(rawValue: smtpSecurity) else {
                throw ValidationError("--smtp-security must be none, starttls or tls; got '\(smtpSecurity)'")
            }
            security = chosen
        } else {
            security = port == 465 ? .tls : smtpUser != nil ? .starttls : .none
        }
        var credentials: SMTPRelay.Credentials?
        if let smtpUser {
            guard !smtpUser.isEmpty, smtpUser.count <= 320, !smtpUser.contains(where: { $0.isNewline || $0 == "\0" }) else {
                throw ValidationError("--smtp-user must be a single line of at most 320 characters")
            }
            guard security != .none else {
                throw ValidationError("--smtp-user needs --smtp-security starttls or tls: a password is never sent to a relay in clear")
            }
            credentials = SMTPRelay.Credentials(user: smtpUser, password: try password())
        } else if smtpPasswordFile != nil {
            throw ValidationError("--smtp-password-file needs --smtp-user")
        }
        let relay = SMTPRelay(host: host, port: port, security: security, credentials: credentials, trustedCertificates: smtpCaFile)
        do {
            try relay.check()
        } catch {
            throw ValidationError("--smtp-ca-file: \(error)")
        }
        return relay
    }

    /// The relay account's password: the first line of --smtp-password-file, else ACCORD_SMTP_PASSWORD.
    private func password() throws -> String {
        let password: String
        if let smtpPasswordFile {
            guard let contents = FileManager.default.contents(atPath: smtpPasswordFile) else {
                throw ValidationError("--smtp-password-file: cannot read \(smtpPasswordFile)")
            }
            password = OperatorPassword.firstLine(of: contents)
        } else if let variable = ProcessInfo.processInfo.environment["ACCORD_SMTP_PASSWORD"] {
            password = variable.hasSuffix("\r") ? String(variable.dropLast()) : variable
        } else {
            throw ValidationError("--smtp-user needs a password: --smtp-password-file, or ACCORD_SMTP_PASSWORD in the environment")
        }
        guard OperatorPassword.isUsable(password) else {
            throw ValidationError("the SMTP password (\(smtpPasswordFile ?? "ACCORD_SMTP_PASSWORD")) must be one line of 1 to 1,024 characters")
        }
        return password
    }

    private func requireNoRelayOptions() throws {
        for (name, value) in [("--smtp-security", smtpSecurity), ("--smtp-user", smtpUser), ("--smtp-password-file", smtpPasswordFile), ("--smtp-ca-file", smtpCaFile)]
        where value != nil {
            throw ValidationError("\(name) is for --smtp, which is not given")
        }
    }
}
