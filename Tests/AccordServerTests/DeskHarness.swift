import AccordServer
import AsyncHTTPClient
import AccordStore
import Foundation
import NIOCore
import Synchronization
import Testing
import VaporTesting

/// A running desk on in-memory SQLite with a clock the test moves, driven over the real HTTP stack.
final class DeskHarness: Sendable {
    let app: Application
    let clock: ClockBox
    let adminToken: String
    let database: TestDatabase.Provisioned
    let attachmentDirectory: String
    /// Every exchange of the test, checked against openapi.yaml when the desk stops.
    let exchanges = Mutex<[(method: String, path: String, status: UInt, contentType: String?, body: Data)]>([])
    /// The test's own HTTP client, shut down with the desk (a shared one outlives the test process's teardown).
    /// Its pooled connections are let go after 5 s idle, before the desk's 10 s idle timeout closes
    /// them: else a request sent as the server closes its connection fails ("I/O on closed channel",
    /// seen in CI on a loaded machine).
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(connectionPool: .init(idleTimeout: .seconds(5))))
    /// A client that follows no redirect, as the tests of web pages need to see each one.
    let pageClient = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(redirectConfiguration: .disallow, connectionPool: .init(idleTimeout: .seconds(5))))

    struct Reply {
        let status: HTTPStatus
        let headers: HTTPHeaders
        let json: [String: Any]

        subscript(key: String) -> Any? { json[key] }
        var string: [String: String] { json.compactMapValues { $0 as? String } }
    }

    private init(app: Application, clock: ClockBox, adminToken: String, database: TestDatabase.Provisioned, attachmentDirectory: String) {
        self.database = database
        self.attachmentDirectory = attachmentDirectory
        self.app = app
        self.clock = clock
        self.adminToken = adminToken
    }

    /// A desk on a fresh database of its own (an SQLite file, as in production, or a new
    /// PostgreSQL database), with the clock at `instant`.
    static func start(at instant: String, on kind: TestDatabase = .sqlite, database given: TestDatabase.Provisioned? = nil,
                      configure: (inout AccordApp.Configuration) -> Void = { _ in }) async throws -> DeskHarness {
        let database: TestDatabase.Provisioned
        if let given { database = given } else { database = try await kind.provision() }
        let app = try await Application.make(.testing)
        let clock = ClockBox(Self.date(instant))
        do {
            let attachments = FileManager.default.temporaryDirectory.appendingPathComponent("accord-attachments-\(UUID())").path
            var configuration = AccordApp.Configuration(database: database.choice, attachmentDirectory: attachments)
            // Tests' webhook receivers listen on loopback, which webhooks reach only when allowed.
            configuration.webhookNetworks = WebhookNetworks(allowing: [WebhookNetworks.Network("127.0.0.0/8")!])
            // bcrypt's least work: tests set many passwords, and the cost is bcrypt's, not the desk's.
            configuration.web.passwords = Passwords(cost: 4)
            // Tests run the mail recovery pass themselves.
            configuration.mailRecoveryInterval = nil
            configuration.reviewPreparationInterval = nil
            configuration.reportFactsInterval = nil
            configure(&configuration)
            try await AccordApp.configure(app, configuration, now: { clock.now() })
            // A desk given with data of its own already has its administrator (and their token is the test's).
            let token = try await AccordApp.bootstrapAdmin(app) ?? ""
            // The real server on a free loopback port: every test request goes over HTTP.
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            return DeskHarness(app: app, clock: clock, adminToken: token, database: database, attachmentDirectory: attachments)
        } catch {
            try? await app.asyncShutdown()
            await database.cleanUp()
            throw error
        }
    }

    /// Runs `body` against a fresh desk (or one on `database`, which the desk then owns) and stops it
    /// afterwards, also when `body` throws.
    static func run(at instant: String, on kind: TestDatabase = .sqlite, database: TestDatabase.Provisioned? = nil,
                    configure: (inout AccordApp.Configuration) -> Void = { _ in }, _ body: (DeskHarness) async throws -> Void) async throws {
        let desk = try await start(at: instant, on: kind, database: database, configure: configure)
        do {
            try await body(desk)
            desk.checkExchangesAgainstOpenAPI()
        } catch {
            try? await desk.stop()
            throw error
        }
        try await desk.stop()
    }

    /// Two servers of one desk on one database, as a deployment runs several: `body` gets both,
    /// each configured by `configure`; both are stopped after, and their answers checked against
    /// openapi.yaml.
    static func runTwo(at instant: String, on kind: TestDatabase, configure: @escaping (inout AccordApp.Configuration) -> Void = { _ in },
                       _ body: (DeskHarness, DeskHarness) async throws -> Void) async throws {
        let provisioned = try await kind.provision()
        let first = try await start(at: instant, on: kind, database: provisioned, configure: configure)
        let second: DeskHarness
        do {
            second = try await start(at: instant, on: kind, database: TestDatabase.Provisioned(choice: provisioned.choice, cleanUp: {}), configure: configure)
        } catch {
            try? await first.stop()
            throw error
        }
        do {
            try await body(first, second)
            first.checkExchangesAgainstOpenAPI()
            second.checkExchangesAgainstOpenAPI()
        } catch {
            try? await second.stop()
            try? await first.stop()
            throw error
        }
        try await second.stop()
        try await first.stop()
    }

    /// Every response of the test must be one openapi.yaml documents, body and all.
    func checkExchangesAgainstOpenAPI() {
        // The web desk's pages are HTML for browsers, not operations of the API's document.
        for exchange in exchanges.withLock({ $0 }) where exchange.path.hasPrefix("/api/") || ["/health", "/metrics", "/openapi.yaml"].contains(exchange.path) {
            for problem in OpenAPIContract.shared.problems(method: exchange.method, path: exchange.path, status: exchange.status,
                                                           contentType: exchange.contentType, body: exchange.body) {
                Issue.record(Comment(rawValue: problem))
            }
        }
    }

    func stop() async throws {
        try await client.shutdown()
        try await pageClient.shutdown()
        await app.server.shutdown()
        try await app.asyncShutdown()
        await database.cleanUp()
        try? FileManager.default.removeItem(atPath: attachmentDirectory)
    }

    func set(_ instant: String) { clock.clock.withLock { $0 = Self.date(instant) } }

    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }

    /// The port the desk's front door listens on.
    var port: Int { (app.server as? FrontDoor)?.localAddress?.port ?? 0 }

    /// The server's address.
    var baseURL: String {
        "http://127.0.0.1:\(port)"
    }

    /// One HTTP exchange with the running server.
    func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)], body: Data?,
              followingRedirects: Bool = true) async throws -> (status: HTTPStatus, headers: HTTPHeaders, body: Data) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await (followingRedirects ? client : pageClient).execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        let data = Data(bytes.readableBytesView)
        exchanges.withLock { $0.append((method.rawValue, path, response.status.code, response.headers.first(name: "Content-Type"), data)) }
        return (response.status, response.headers, data)
    }

    /// Uploads `data` as the multipart part `file`.
    func upload(_ path: String, token: String, filename: String, data: Data, contentType: String = "text/plain",
                fields: [(String, String)] = []) async throws -> Reply {
        let boundary = "accord-test-boundary"
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n".utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return try await call(.POST, path, token: token, bytes: body, headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")])
    }

    /// A GET returning the raw body.
    func download(_ path: String, token: String) async throws -> (status: HTTPStatus, headers: HTTPHeaders, body: Data) {
        try await send(.GET, path, headers: [("Authorization", "Bearer \(token)")], body: nil)
    }

    /// A GET of a JSON array.
    func list(_ path: String, token: String) async throws -> [[String: Any]] {
        let response = try await download(path, token: token)
        #expect(response.status == .ok, "\(path): \(String(decoding: response.body, as: UTF8.self))")
        return (try? JSONSerialization.jsonObject(with: response.body)) as? [[String: Any]] ?? []
    }

    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, token: String?, body: String? = nil, bytes: Data? = nil,
              headers: [(String, String)] = []) async throws -> Reply {
        var head: [(String, String)] = []
        if let token { head.append(("Authorization", "Bearer \(token)")) }
        if body != nil { head.append(("Content-Type", "application/json")) }
        head += headers
        let response = try await send(method, path, headers: head, body: body.map { Data($0.utf8) } ?? bytes)
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        return Reply(status: response.status, headers: response.headers, json: json)
    }

    /// Creates an organization on a preset plan and returns its id.
    func organization(_ policy: String, plan: String, region: String? = nil, prefix: String,
                      termStart: String = "2026-01-01", termEnd: String = "2026-12-31") async throws -> String {
        let regionField = region.map { #","region":"\#($0)""# } ?? ""
        let reply = try await call(.POST, "/api/v1/organizations", token: adminToken, body: """
            {"name":"\(prefix) Inc","policy":"\(policy)","plan":"\(plan)"\(regionField),"termStart":"\(termStart)","termEnd":"\(termEnd)","casePrefix":"\(prefix)"}
            """)
        #expect(reply.status == .created, "\(reply.json)")
        return try #require(reply.string["id"])
    }

    /// Creates a customer person and returns (id, token).
    func person(in organization: String, email: String, role: String) async throws -> (id: String, token: String) {
        let created = try await call(.POST, "/api/v1/organizations/\(organization)/people", token: adminToken,
                                     body: #"{"name":"\#(email)","email":"\#(email)","role":"\#(role)"}"#)
        #expect(created.status == .created, "\(created.json)")
        let id = try #require(created.string["id"])
        let token = try await call(.POST, "/api/v1/people/\(id)/tokens", token: adminToken)
        return (id, try #require(token.string["token"]))
    }

    /// A plm-group request with all the required information; `replacing` overrides fields (nil removes one).
    static func plmCase(priority: String = "critical", replacing: [String: Any?] = [:]) -> String {
        var fields: [String: Any] = [
            "title": "Crash", "description": "SOLIDWORKS crashes on save", "priority": priority, "channel": "email",
            "contactName": "Anna Berg", "contactPhone": "+45 1234 5678", "contactEmail": "anna@plm.test", "product": "SOLIDWORKS",
            "version": "2025", "servicePack": "SP2.1", "englishConsent": true, "stepsToReproduce": "Open part, save",
        ]
        for (key, value) in replacing { fields[key] = value ?? nil }
        let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    func clock(_ reply: Reply, _ metric: String = "initial-response") -> [String: Any]? {
        (reply["clocks"] as? [[String: Any]])?.first { $0["metric"] as? String == metric }
    }
}

/// Lets the app's `now` closure read the test's clock.
final class ClockBox: Sendable {
    let clock: Mutex<Date>
    init(_ start: Date) { clock = Mutex(start) }
    func now() -> Date { clock.withLock { $0 } }
}
