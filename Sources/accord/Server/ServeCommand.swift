import AccordServer
import AccordStore
import ArgumentParser
import Foundation
import Vapor

/// `accord serve`: the case desk over HTTP, on SQLite by default or PostgreSQL via DATABASE_URL.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the case desk (HTTP API under /api/v1).",
        discussion: "Data lives in the SQLite file given by --db unless DATABASE_URL names a PostgreSQL database. Migrations run automatically."
    )

    @ArgumentParser.Option(help: "The SQLite database file.")
    var db = "accord.sqlite"

    @ArgumentParser.Option(help: "The port to listen on.")
    var port = 8080

    @ArgumentParser.Option(help: "The address to listen on.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Flag(help: "Seed an empty desk with a demo customer per preset, with people and cases in every state.")
    var demo = false

    @ArgumentParser.Option(help: "Where attachments are stored (default: beside the database file, or ./attachments with DATABASE_URL).")
    var attachments: String?

    @ArgumentParser.Option(help: ArgumentHelp(
        "How many seconds the server keeps who holds a token, a customer's subscription, TAM and priority senders, and an agent's teams (0: read them on every request).",
        discussion: "Changes made through this server take effect at once; those made by other servers on the same database, or by the CLI, within this time."))
    var readCacheSeconds = 2.0

    @ArgumentParser.Option(help: ArgumentHelp(
        "How many unknown tokens one client address may present a minute before it is answered 429 for a while (0: no limit).",
        valueName: "count"))
    var authFailuresPerMinute = 20

    @ArgumentParser.Option(help: ArgumentHelp(
        "Where the first start writes the first administrator's token, readable by its owner only (default: DB.admin-token, or ./accord-admin-token with PostgreSQL).",
        valueName: "path"))
    var adminTokenFile: String?

    @ArgumentParser.Option(help: ArgumentHelp(
        "A loopback or private network webhooks may go to (CIDR, such as 10.1.0.0/16; repeat for several). Without it webhooks go to public addresses only.",
        valueName: "cidr"))
    var webhookAllowNetwork: [String] = []

    @ArgumentParser.Option(help: ArgumentHelp(
        "A file holding the bearer token Prometheus sends for /metrics (at least 16 characters); without it /metrics takes a manager's or admin's token.",
        valueName: "path"))
    var metricsTokenFile: String?

    @ArgumentParser.Option(help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (with --tls-key).", valueName: "path"))
    var tlsCert: String?

    @ArgumentParser.Option(help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "path"))
    var tlsKey: String?

    /// Behind a proxy that terminates TLS, the desk serves HTTP but its users reach it over HTTPS.
    @ArgumentParser.Flag(help: "The desk is reached through a proxy that terminates TLS: send HSTS although serving HTTP.")
    var behindTlsProxy = false

    @ArgumentParser.Option(help: ArgumentHelp(
        "Seconds a connection may wait without starting a request, or without reading its answer, before it is closed (1 to 3600).",
        valueName: "seconds"))
    var idleTimeout = 10

    @ArgumentParser.Option(help: ArgumentHelp(
        "Seconds from a request's first byte to the end of its headers; a slower client is answered 408 (1 to 600).", valueName: "seconds"))
    var headTimeout = 10

    @ArgumentParser.Option(help: ArgumentHelp(
        "Longest pause, in seconds, inside a request's body; a stalled upload is answered 408 (1 to 3600).", valueName: "seconds"))
    var bodyTimeout = 30

    @ArgumentParser.Option(help: ArgumentHelp(
        "Connections open at once, in all; more are answered 503 (default: 4096, or what the limit on open files allows).",
        valueName: "count"))
    var maxConnections: Int?

    @ArgumentParser.Option(help: ArgumentHelp(
        "Connections open at once from one client address; more are answered 429 (1 to 100000).", valueName: "count"))
    var maxConnectionsPerAddress = 100

    @ArgumentParser.Option(help: ArgumentHelp(
        "Requests served on one kept-alive connection before it is closed (1 to 100000).", valueName: "count"))
    var maxRequestsPerConnection = 1000

    @ArgumentParser.Option(help: ArgumentHelp(
        "The address people reach the desk at, such as https://support.example.com: invitation links made through the API are then whole links.",
        valueName: "url"))
    var publicUrl: String?

    @ArgumentParser.Option(help: ArgumentHelp(
        "Minutes a web session lasts without a request before it must sign in again (5 to 1440).", valueName: "minutes"))
    var sessionIdleMinutes = 120

    @ArgumentParser.Option(help: ArgumentHelp(
        "Hours a web session lasts at most from signing in (1 to 720).", valueName: "hours"))
    var sessionHours = 12

    @ArgumentParser.Option(help: ArgumentHelp(
        "Failed sign-ins one account may have in 15 minutes, from any address, before it is refused for a while (0: no limit; 1 to 1000).",
        valueName: "count"))
    var signInFailuresPerAccount = 10

    @ArgumentParser.Option(help: ArgumentHelp(
        "Largest mail message processed, in MB; a larger one is kept raw in the quarantine (1 to 60).", valueName: "megabytes"))
    var mailMaxMb = 25

    @ArgumentParser.Option(help: ArgumentHelp(
        "The name the desk's own mail server writes in Authentication-Results (its authserv-id); only its DMARC, DKIM or SPF pass confirms a sender (Pro Plus's priority queue).",
        valueName: "name"))
    var mailAuthservId: String?

    @ArgumentParser.Option(help: ArgumentHelp(
        "One of the desk's own mail addresses besides the policies' mailboxes, never copied on a case (repeat for several).", valueName: "address"))
    var mailDeskAddress: [String] = []

    @ArgumentParser.Option(help: ArgumentHelp("""
        An IMAP mailbox to fetch mail from (repeat for several): imaps://USER@HOST[:PORT]/FOLDER?password-file=PATH \
        (or password-env=NAME; or OAuth 2: auth=xoauth2&token-url=URL&client-id=ID&refresh-token-file=PATH[&client-secret-file=PATH][&scope=S], \
        or auth=xoauth2&token-file=PATH for a token a helper renews), after=seen|move:FOLDER|delete, recipient=ADDRESS, ca-file=PEM. \
        Write @ in the user as %40.
        """, valueName: "url"))
    var imap: [String] = []

    @OptionGroup var alerts: AlertOptions

    func validate() throws {
        guard readCacheSeconds >= 0, readCacheSeconds <= 3600 else {
            throw ValidationError("--read-cache-seconds must be between 0 and 3600, not \(readCacheSeconds)")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together: give both, or neither for plain HTTP")
        }
        try Self.check(idleTimeout, in: 1...3600, "--idle-timeout", unit: " seconds")
        try Self.check(headTimeout, in: 1...600, "--head-timeout", unit: " seconds")
        try Self.check(bodyTimeout, in: 1...3600, "--body-timeout", unit: " seconds")
        if let maxConnections { try Self.check(maxConnections, in: 1...1_000_000, "--max-connections") }
        try Self.check(maxConnectionsPerAddress, in: 1...100_000, "--max-connections-per-address")
        try Self.check(maxRequestsPerConnection, in: 1...100_000, "--max-requests-per-connection")
        try Self.check(authFailuresPerMinute, in: 0...10_000, "--auth-failures-per-minute")
        try Self.check(sessionIdleMinutes, in: 5...1440, "--session-idle-minutes", unit: " minutes")
        try Self.check(sessionHours, in: 1...720, "--session-hours", unit: " hours")
        try Self.check(signInFailuresPerAccount, in: 0...1000, "--sign-in-failures-per-account")
        try Self.check(mailMaxMb, in: 1...60, "--mail-max-mb", unit: " MB")
        if let mailAuthservId, mailAuthservId.isEmpty || mailAuthservId.count > 255 || mailAuthservId.contains(where: { $0.isWhitespace || $0 == ";" }) {
            throw ValidationError("--mail-authserv-id must be a host name such as mx.example.com (no spaces or ';'), not '\(mailAuthservId)'")
        }
        for address in mailDeskAddress where address.range(of: "^[^@\\s]+@[^@\\s]+$", options: .regularExpression) == nil {
            throw ValidationError("--mail-desk-address: '\(address)' is not an email address")
        }
        if let publicUrl {
            guard let url = URL(string: publicUrl), url.scheme == "http" || url.scheme == "https", url.host?.isEmpty == false,
                  url.query == nil, url.fragment == nil else {
                throw ValidationError("--public-url must be an http or https address without query, such as https://support.example.com, not '\(publicUrl)'")
            }
        }
    }

    /// Refuses `value` of `option` outside `range`, naming both.
    private static func check(_ value: Int, in range: ClosedRange<Int>, _ option: String, unit: String = "") throws {
        guard range.contains(value) else {
            throw ValidationError("\(option) must be between \(range.lowerBound) and \(range.upperBound)\(unit), not \(value)")
        }
    }

    /// The limits from the options, with the number of connections checked against the open files
    /// the process may have (raised to the system's maximum first).
    func connectionLimits() throws -> ConnectionLimits {
        var limits = ConnectionLimits()
        limits.idleTimeout = .seconds(idleTimeout)
        limits.headTimeout = .seconds(headTimeout)
        limits.bodyTimeout = .seconds(bodyTimeout)
        limits.maxConnectionsPerAddress = maxConnectionsPerAddress
        limits.maxRequestsPerConnection = maxRequestsPerConnection
        // Descriptors beside connections: the database, attachments, logs, outgoing mail and webhooks.
        let reserved = 256
        let openFiles = OpenFileLimit.raiseToMaximum()
        let affordable = max(0, (openFiles - reserved) / ConnectionLimits.descriptorsPerConnection)
        if let maxConnections {
            let needed = maxConnections * ConnectionLimits.descriptorsPerConnection + reserved
            guard maxConnections <= affordable else {
                throw ValidationError("--max-connections \(maxConnections) needs \(needed) open files, but this process may have \(openFiles) (ulimit -n); allow more files or take at most \(affordable) connections")
            }
            limits.maxConnections = maxConnections
        } else {
            guard affordable >= 16 else {
                throw ValidationError("this process may have only \(openFiles) open files (ulimit -n), too few to serve; allow at least \(reserved + 16 * ConnectionLimits.descriptorsPerConnection)")
            }
            limits.maxConnections = min(limits.maxConnections, affordable)
        }
        return limits
    }

    func run() async throws {
        let app = try await Application.make(Environment(name: "production", arguments: ["accord"]))
        do {
            let database = DatabaseSetup.choice(databaseURL: ProcessInfo.processInfo.environment["DATABASE_URL"], sqlitePath: db)
            let defaultAttachments: String
            if case .sqlite(let path) = database { defaultAttachments = path + ".attachments" } else { defaultAttachments = "attachments" }
            var configuration = AccordApp.Configuration(database: database, attachmentDirectory: attachments ?? defaultAttachments)
            configuration.port = port
            configuration.hostname = hostname
            configuration.readCacheLifetime = .milliseconds(Int((readCacheSeconds * 1000).rounded()))
            configuration.authenticationFailuresPerMinute = authFailuresPerMinute
            configuration.connectionLimits = try connectionLimits()
            if let tlsCert, let tlsKey { configuration.tls = .init(certificateChain: tlsCert, privateKey: tlsKey) }
            configuration.behindTLSProxy = behindTlsProxy
            configuration.web.publicURL = publicUrl.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            configuration.web.sessionLimits = SessionLimits(idle: TimeInterval(sessionIdleMinutes * 60), absolute: TimeInterval(sessionHours * 3600))
            configuration.web.accountFailures = signInFailuresPerAccount
            configuration.mail.maxMessageSize = mailMaxMb * 1024 * 1024
            configuration.mail.authservID = mailAuthservId
            configuration.mail.deskAddresses = mailDeskAddress
            configuration.imapMailboxes = try imap.map { url in
                do {
                    return try IMAPMailbox.parse(url, environment: ProcessInfo.processInfo.environment) { FileManager.default.contents(atPath: $0) }
                } catch {
                    throw ValidationError("--imap: \(error)")
                }
            }
            if let metricsTokenFile {
                guard let text = try? String(contentsOfFile: metricsTokenFile, encoding: .utf8) else {
                    throw ValidationError("--metrics-token-file: cannot read '\(metricsTokenFile)'")
                }
                let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard token.utf8.count >= 16, !token.contains(where: \.isWhitespace) else {
                    throw ValidationError("--metrics-token-file: the token in '\(metricsTokenFile)' must be at least 16 characters, without spaces")
                }
                configuration.metricsToken = token
            }
            configuration.monitor = try alerts.monitorConfiguration()
            switch WebhookNetworks.parse(webhookAllowNetwork) {
            case .success(let networks):
                configuration.webhookNetworks = networks
                configuration.monitor?.webhookNetworks = networks
            case .failure(let error):
                throw ValidationError("--webhook-\(error.field) \(error.message)")
            }
            try await AccordApp.configure(app, configuration)
            if let token = try await AccordApp.bootstrapAdmin(app) {
                // The token goes to a file only its owner can read, never to the output, which logs
                // keep; written unbuffered, since the server keeps running after it.
                var file = adminTokenFile ?? "accord-admin-token"
                if adminTokenFile == nil, case .sqlite(let path) = database { file = path + ".admin-token" }
                do {
                    try AdminTokenFile.write(token, to: file)
                } catch {
                    throw CommandFailure("""
                        created the administrator admin@localhost, but could not keep its token: \(error). \
                        Make one with: accord token create --email admin@localhost --db \(db)
                        """)
                }
                FileHandle.standardOutput.write(Data("""
                    First start: created the administrator admin@localhost. Its API token is in \(file) (readable by you only):
                      curl -H "Authorization: Bearer $(cat \(file))" \(tlsCert == nil ? "http" : "https")://\(hostname):\(port)/api/v1/me

                    """.utf8))
            }
            if demo {
                let accounts = try await AccordApp.seedDemo(app)
                if accounts.isEmpty {
                    FileHandle.standardOutput.write(Data("--demo: the desk already has customers; nothing seeded.\n".utf8))
                } else {
                    let base = "\(tlsCert == nil ? "http" : "https")://\(hostname):\(port)"
                    var lines = ["Demo desk seeded. Sign in at \(base)/ as any of these people (password), or use the API (token):"]
                    for account in accounts {
                        let who = account.organization.map { "\(account.role) at \($0)" } ?? account.role
                        lines.append("  \(account.email.padding(toLength: 26, withPad: " ", startingAt: 0)) \(who.padding(toLength: 44, withPad: " ", startingAt: 0)) \(account.password)  \(account.token)")
                    }
                    lines.append("e.g. curl -H 'Authorization: Bearer \(accounts[0].token)' \(base)/api/v1/cases")
                    FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n\n").utf8))
                }
            }
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

/// `accord token create`: a new API token for a person, printed once.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API token for a person, by email.")

        @ArgumentParser.Option(help: "The person's email (admin@localhost is the first administrator).")
        var email: String

        @ArgumentParser.OptionGroup var desk: DeskLocation

        @ArgumentParser.Option(help: "A label to recognise the token by.")
        var label = "cli"

        func run() async throws {
            try await desk.with { _, store in
                guard let person = try await store.person(email: email) else {
                    throw CommandFailure("no person has the email '\(email)'")
                }
                print(try await store.issueToken(for: person.id, label: label))
            }
        }
    }
}
