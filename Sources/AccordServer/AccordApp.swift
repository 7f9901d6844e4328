public import AccordStore
import Fluent
import Leaf
import LeafKit
import FluentSQL
import Foundation
import NIOCore
public import NIOSSL
public import Vapor

/// Builds the Accord HTTP application: database, migrations, middleware and routes.
public enum AccordApp {
    /// Where Accord keeps its data and listens.
    public struct Configuration: Sendable {
        public var database: DatabaseSetup.Choice
        public var hostname = "127.0.0.1"
        public var port = 8080
        /// Largest accepted request body.
        public var maxBodySize: ByteCount = "1mb"
        /// Largest accepted attachment upload.
        public var maxAttachmentSize: ByteCount = "20mb"
        /// Uploads one person may have under way at once on one server (more: 429).
        public var maxUploadsPerPerson = 4
        /// The most files one web form (a case logged, a reply) carries.
        public var maxFilesPerForm = 5
        /// Where attachment bytes are kept (shared by every server of one desk).
        public var attachmentDirectory: String
        /// The SLA monitor running in the background; nil runs none (tests drive passes themselves).
        public var monitor: SLAMonitor.Configuration?
        /// How long the server keeps token holders, customers, priority senders and agents' teams it read (see
        /// `ReadCache`); zero reads them afresh on every request.
        public var readCacheLifetime: Duration = ReadCache.defaultLifetime
        /// How many unknown tokens one client address may present a minute before it gets 429 for a
        /// while (0: no limit).
        public var authenticationFailuresPerMinute = 20
        /// Networks webhooks may be added for besides public addresses (the monitor's configuration
        /// governs deliveries).
        public var webhookNetworks = WebhookNetworks()
        /// The bearer token a metrics scraper sends for `/metrics`; nil: a manager's or admin's token.
        public var metricsToken: String?
        /// Serve HTTPS with this certificate chain and private key (PEM files); HSTS is sent then.
        public var tls: TLSFiles?
        /// The desk is reached through a TLS-terminating proxy: HSTS is sent although it serves HTTP.
        public var behindTLSProxy = false
        /// How many connections may be open, from one address and in all, and how long a client may
        /// take over each part of a request (see `ConnectionLimits`, enforced by the `FrontDoor`).
        public var connectionLimits = ConnectionLimits()
        /// Signing in through the web desk: sessions, passwords, invitations.
        public var web = WebSettings()
        /// Taking mail in.
        public var mail = MailSettings()
        /// Whether the customer's side is mailed acknowledgements, public replies and status changes;
        /// nil: when the monitor has a mail transport.
        public var customerMail: Bool?
        /// How often a server looks for stored mail that no server finished processing (nil: never;
        /// tests run the pass themselves).
        public var mailRecoveryInterval: Duration? = .seconds(30)
        /// How often a server prepares the service reviews whose period ended (nil: never; tests
        /// run the pass themselves).
        public var reviewPreparationInterval: Duration? = .seconds(3600)
        /// How often a server packs the days whose cases changed for staff's attainment reports
        /// (nil: never — a report packs the days it needs itself; tests do).
        public var reportFactsInterval: Duration? = .seconds(10)
        /// IMAP mailboxes fetched into the desk (see `IMAPMailbox`).
        public var imapMailboxes: [IMAPMailbox] = []
        /// How long an IMAP connection waits in IDLE before it looks again anyway, and how long a
        /// server waits between connections to a mailbox without IDLE.
        public var imapIdleWindow: Duration = .seconds(240)
        public var imapPollInterval: Duration = .seconds(60)

        public init(database: DatabaseSetup.Choice, attachmentDirectory: String) {
            self.database = database
            self.attachmentDirectory = attachmentDirectory
        }
    }

    /// The PEM files of a TLS certificate chain and its private key.
    public struct TLSFiles: Sendable {
        public var certificateChain: String
        public var privateKey: String

        public init(certificateChain: String, privateKey: String) {
            self.certificateChain = certificateChain
            self.privateKey = privateKey
        }
    }

    /// Configures `app`; migrations run automatically.
    public static func configure(_ app: Application, _ configuration: Configuration, now: @escaping @Sendable () -> Date = Date.init) async throws {
        BrokenPipes.ignore()
        try DatabaseSetup.register(configuration.database, on: app.databases)
        app.migrations.add(DeskStore.migrations)
        let writer = try await DatabaseSetup.dedicatedWriter(configuration.database)
        if let writer { app.lifecycle.use(WriterShutdown(writer: writer)) }
        let gate = DatabaseSetup.needsWriteGate(configuration.database) ? WriteGate(writer: writer) : nil
        // Servers started together on one database prepare it one at a time.
        let catalog = try await PreparationLock.whilePreparing(configuration.database, on: app.db) {
            try await DatabaseSetup.layOut(configuration.database, on: app.db)
            try await app.autoMigrate()
            if case .sqlite = configuration.database, let sql = app.db as? any SQLDatabase {
                // The planner's statistics, brought up to date where missing or stale (a new index,
                // a table grown tenfold), each table sampled within a bounded effort, as SQLite
                // advises at start: without them it may read a search's few hundred candidates off
                // an organization's index of 250,000 cases instead of by id.
                try await sql.raw("PRAGMA analysis_limit=1000").run()
                try await sql.raw("PRAGMA optimize=0x10002").run()
            }
            let catalog = try await PolicyCatalog.open(store: DeskStore(database: app.db, writes: gate), at: now())
            try await catalog.indexQueues(store: DeskStore(database: app.db, writes: gate))
            try await ClockTimeBackfill(store: DeskStore(database: app.db, writes: gate), catalog: catalog).run(at: now())
            return catalog
        }
        app.http.server.configuration.hostname = configuration.hostname
        app.http.server.configuration.port = configuration.port
        // The front door faces the network; the desk's own server only hears it, on a private socket.
        app.http.server.configuration.idleTimeout = nil
        var innerLogger = app.logger
        innerLogger.logLevel = max(innerLogger.logLevel, .warning)
        app.http.server.configuration.logger = innerLogger
        let settings = FrontDoor.Settings(hostname: configuration.hostname, port: configuration.port,
                                          tls: try configuration.tls.map(Self.serverTLS), limits: configuration.connectionLimits)
        // Made when first asked for, when it starts: the desk's server answers with the routes there are then.
        app.servers.use { app in
            if let frontDoor = app.storage[FrontDoor.Key.self] { return frontDoor }
            let frontDoor = FrontDoor(settings: settings, inner: app.http.server.shared, group: app.eventLoopGroup, logger: app.logger)
            app.storage[FrontDoor.Key.self] = frontDoor
            return frontDoor
        }
        app.routes.defaultMaxBodySize = configuration.maxBodySize
        let metrics = DeskMetrics()
        app.middleware = Middlewares()
        app.middleware.use(MetricsMiddleware(metrics: metrics))
        app.middleware.use(SecurityHeaders(tls: configuration.tls != nil || configuration.behindTLSProxy))
        app.middleware.use(ProblemMiddleware())

        let batches = WriteBatches(executor: writer?.executor)
        let cache = ReadCache(lifetime: configuration.readCacheLifetime)
        let store: @Sendable (Request) -> DeskStore = { DeskStore(database: $0.db, writes: gate, batches: batches, cache: cache) }
        let customerMail = configuration.customerMail ?? (configuration.monitor?.mail != nil)
        let service: @Sendable (Request) -> CaseService = { CaseService(store: store($0), catalog: catalog, now: now, customerMail: customerMail) }

        app.get("health") { request async throws -> [String: String] in
            _ = try await DeskStore(database: request.db).person(UUID())
            return ["status": "ok"]
        }
        let openAPI = try OpenAPIDocument.text()
        app.get("openapi.yaml") { _ -> Response in
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
            return Response(status: .ok, headers: headers, body: .init(string: openAPI))
        }
        let addressThrottle = AuthenticationThrottle(limit: configuration.authenticationFailuresPerMinute)
        let authentication = BearerAuthentication(store: store, throttle: addressThrottle, now: now)
        let metricsAccess = MetricsAccess(token: configuration.metricsToken, authentication: authentication)
        app.get("metrics") { request async throws -> Response in
            try await metricsAccess.check(request)
            let text = try await metrics.exposition(store: DeskStore(database: request.db), now: now())
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
            return Response(status: .ok, headers: headers, body: .init(string: text))
        }
        let api = app.grouped("api", "v1").grouped(authentication).grouped(QueryParameters())
        let files = AttachmentFiles(directory: URL(fileURLWithPath: configuration.attachmentDirectory, isDirectory: true))
        try api.register(collection: DirectoryRoutes(store: store, catalog: catalog, files: files, now: now))
        try api.register(collection: PeopleRoutes(store: store, catalog: catalog, web: configuration.web, now: now))
        try api.register(collection: PolicyRoutes(store: store, catalog: catalog, now: now))
        if var monitor = configuration.monitor {
            monitor.publicURL = monitor.publicURL ?? configuration.web.publicURL
            let store = DeskStore(database: app.db, writes: gate)
            let running = try await SLAMonitor(store: store, configuration: monitor, http: app.http.client.shared, logger: app.logger)
                .readingPolicies(at: now())
            app.lifecycle.use(BackgroundTask { await running.run(now: now) })
        }
        try api.register(collection: WorkRoutes(service: service))
        try api.register(collection: ReportRoutes(service: service))
        try api.register(collection: ReviewRoutes(service: service))
        try api.register(collection: MaintenanceRoutes(ledger: { request in
            MaintenanceLedger(store: store(request), catalog: catalog, now: now)
        }))
        try api.register(collection: NotificationRoutes(service: service, webhookNetworks: configuration.webhookNetworks))
        let uploadSlots = UploadSlots(limit: configuration.maxUploadsPerPerson)
        try api.register(collection: CaseRoutes(service: service, files: files, maxAttachmentSize: configuration.maxAttachmentSize, uploads: uploadSlots))
        let threads = app.threadPool
        let mailSettings = configuration.mail
        let maxAttachment = Int(configuration.maxAttachmentSize.value)
        let mailRoutes = MailRoutes(
            intake: { request in
                MailIntake(service: service(request), files: files, threads: threads, settings: mailSettings, maxAttachmentSize: maxAttachment, logger: request.logger)
            },
            settings: mailSettings, throttle: addressThrottle, now: now)
        mailRoutes.registerInbound(on: app)
        mailRoutes.registerQuarantine(on: api)
        let recovery = MailIntake(service: CaseService(store: DeskStore(database: app.db, writes: gate, batches: batches, cache: cache), catalog: catalog, now: now,
                                                       customerMail: customerMail),
                                  files: files, threads: threads, settings: mailSettings, maxAttachmentSize: maxAttachment, logger: app.logger)
        app.storage[MailRecoveryKey.self] = recovery
        let reviews = ReviewPreparation(service: CaseService(store: DeskStore(database: app.db, writes: gate, batches: batches, cache: cache), catalog: catalog,
                                                            now: now), logger: app.logger)
        app.storage[ReviewPreparationKey.self] = reviews
        if let interval = configuration.reviewPreparationInterval {
            app.lifecycle.use(BackgroundTask { await reviews.run(every: interval, now: now) })
        }
        if let interval = configuration.mailRecoveryInterval {
            app.lifecycle.use(BackgroundTask { await MailRecovery.run(recovery, every: interval, now: now) })
        }
        if let interval = configuration.reportFactsInterval {
            let facts = ReportFacts(service: CaseService(store: DeskStore(database: app.db, writes: gate, batches: batches, cache: cache), catalog: catalog, now: now))
            app.lifecycle.use(BackgroundTask { await facts.run(every: interval, logger: app.logger) })
        }
        let server = UUID()
        for mailbox in configuration.imapMailboxes {
            let fetcher = MailFetcher(mailbox: mailbox, intake: recovery, holder: server, idleWindow: configuration.imapIdleWindow,
                                      pollInterval: configuration.imapPollInterval, now: now)
            app.lifecycle.use(BackgroundTask { await fetcher.run() })
        }
        let webUploads = WebUploads(files: files, slots: uploadSlots,
                                    limits: .init(maxFileSize: Int(configuration.maxAttachmentSize.value), maxFiles: configuration.maxFilesPerForm))
        try configureWeb(app, configuration, store: store, service: service, catalog: catalog, throttle: addressThrottle, uploads: webUploads, now: now)
    }

    /// The web desk: server-rendered pages on the same services as the API, signed in by session cookie.
    private static func configureWeb(_ app: Application, _ configuration: Configuration, store: @escaping @Sendable (Request) -> DeskStore,
                                     service: @escaping @Sendable (Request) -> CaseService, catalog: PolicyCatalog, throttle: AuthenticationThrottle,
                                     uploads: WebUploads, now: @escaping @Sendable () -> Date) throws {
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw Abort(.internalServerError, reason: "the web desk's templates are missing from the bundle")
        }
        app.leaf.configuration = LeafConfiguration(rootDirectory: templates.path + "/")
        // Not `.toVisibleFiles`: the bundle may sit under a hidden folder (.build); the sandbox still holds.
        app.leaf.sources = LeafSources.singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .requireExtensions],
                                                                 sandboxDirectory: templates.path, viewDirectory: templates.path))
        app.views.use(.leaf)
        let assets = try WebAssets()
        app.get("assets", ":name") { try assets.serve($0) }
        let web = configuration.web
        let cookie = SessionCookie(secure: configuration.tls != nil || configuration.behindTLSProxy)
        let pages = PageRenderer(now: now)
        let maxForm = Int(configuration.maxBodySize.value)
        let site = app.grouped(WebSessionAuthentication(store: store, cookie: cookie, limits: web.sessionLimits, now: now))
            .grouped(WebErrors(pages: pages))
            .grouped(FormTokenCheck(maxBodySize: maxForm))
        let signIn = SignInThrottle(addresses: throttle, accountFailures: web.accountFailures, accountWindow: web.accountWindow)
        try site.register(collection: SignInRoutes(store: store, settings: web, cookie: cookie, throttle: signIn, pages: pages, now: now))
        try site.register(collection: AccountRoutes(store: store, settings: web, cookie: cookie, pages: pages, now: now))
        try site.register(collection: LogCasePage(service: service, pages: pages, uploads: uploads))
        let casePages = CasePages(service: service, pages: pages, uploadLimits: uploads.limits)
        try site.register(collection: casePages)
        try site.register(collection: CaseActions(service: service, pages: casePages, uploads: uploads))
        try site.register(collection: MailPages(service: service, pages: pages))
        try site.register(collection: QueuePages(service: service, pages: pages))
        try site.register(collection: OrganizationPage(service: service, pages: pages))
        try site.register(collection: BoardPage(service: service, pages: pages))
        try site.register(collection: ReportPages(service: service, pages: pages))
        try site.register(collection: LedgerPages(service: service, pages: pages))
        try site.register(collection: ReviewPage(service: service, pages: pages))
        try site.register(collection: MaintenancePage(ledger: { request in
            MaintenanceLedger(store: service(request).store, catalog: catalog, now: now)
        }, pages: pages))
        try site.register(collection: CustomerPages(store: store, catalog: catalog, pages: pages, now: now))
        try site.register(collection: PolicyPages(store: store, catalog: catalog, pages: pages, now: now))
        try site.register(collection: SettingsPages(store: store, monitor: configuration.monitor, webhookNetworks: configuration.webhookNetworks,
                                                    catalog: catalog, pages: pages, now: now))
        try site.register(collection: PersonPages(store: store, catalog: catalog, settings: web, pages: pages, now: now))
    }

    /// The server side of TLS from PEM files, with a message naming the file that cannot be used.
    public static func serverTLS(_ files: TLSFiles) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(files.certificateChain) } catch {
            throw TLSSetupError(description: "--tls-cert: cannot read a PEM certificate chain from '\(files.certificateChain)': \(error)")
        }
        guard !chain.isEmpty else { throw TLSSetupError(description: "--tls-cert: '\(files.certificateChain)' holds no certificate") }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: files.privateKey, format: .pem) } catch {
            throw TLSSetupError(description: "--tls-key: cannot read a PEM private key from '\(files.privateKey)': \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// Why TLS cannot be set up, naming the option and file.
    public struct TLSSetupError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Seeds an empty desk with one demo customer per preset (see `DemoSeed`) and returns the demo
    /// accounts with their tokens; a desk that has customers is left alone.
    public static func seedDemo(_ app: Application, passwords: Passwords = Passwords(), now: Date = Date()) async throws -> [DemoAccount] {
        let store = DeskStore(database: app.db)
        return try await DemoSeed(store: store, catalog: try await PolicyCatalog.open(store: store, at: now), passwords: passwords, now: now).run()
    }

    /// Processes the mail that was stored but that no server finished (as each server does every
    /// `mailRecoveryInterval`); returns how many messages it took up.
    public static func recoverMail(_ app: Application, now: Date) async throws -> Int {
        guard let intake = app.storage[MailRecoveryKey.self] else { return 0 }
        return try await MailRecovery.pass(intake, at: now)
    }

    /// Prepares the service reviews whose period ended and that no one kept yet (as each server
    /// does every `reviewPreparationInterval`); returns them as "organization period".
    public static func prepareReviews(_ app: Application, now: Date) async throws -> [String] {
        guard let reviews = app.storage[ReviewPreparationKey.self] else { return [] }
        return try await reviews.pass(at: now)
    }

    /// Fetches what waits in `mailbox` now, once, as a server's background fetcher does on each
    /// connection; returns how many messages were stored and how many were left (too large).
    public static func fetchMail(_ app: Application, from mailbox: IMAPMailbox, now: @escaping @Sendable () -> Date = Date.init) async throws -> (stored: Int, left: Int) {
        guard let intake = app.storage[MailRecoveryKey.self] else { return (0, 0) }
        let report = try await MailFetcher(mailbox: mailbox, intake: intake, holder: UUID(), now: now).pass()
        return (report.stored, report.left)
    }

    /// Creates the first admin when the desk has none, returning a token for them (shown once).
    public static func bootstrapAdmin(_ app: Application) async throws -> String? {
        let store = DeskStore(database: app.db)
        guard try await store.administratorCount() == 0 else { return nil }
        let admin = try await store.createPerson(organizationID: nil, name: "Administrator", email: "admin@localhost", role: .admin)
        return try await store.issueToken(for: admin.id, label: "first admin")
    }
}

/// The mail intake the recovery pass runs with.
private enum MailRecoveryKey: StorageKey {
    typealias Value = MailIntake
}

/// The service reviews' preparation a server runs.
private enum ReviewPreparationKey: StorageKey {
    typealias Value = ReviewPreparation
}

/// Closes the dedicated SQLite writer when the server stops.
private struct WriterShutdown: LifecycleHandler {
    let writer: DedicatedWriter

    func shutdownAsync(_ application: Application) async {
        await writer.shutdown()
    }
}
