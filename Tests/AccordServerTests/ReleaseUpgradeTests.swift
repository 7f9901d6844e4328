import AccordServer
import AccordStore
import FluentKit
import SQLKit
import SQLiteNIO
import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix
import Testing
import VaporTesting

/// Migrations are append-only: a desk made by the previous release — its database kept as a fixture
/// (`Fixtures/release-2026-11-23.*`: `accord serve --demo` of commit b9823e4, dumped by `sqlite3
/// .dump` and `pg_dump --inserts`, with its administrator's token) — upgrades to this release's schema when the
/// server starts, and everything it held still reads and works.
@Suite(.serialized) struct ReleaseUpgradeTests {
    static let release = "release-2026-11-23"

    static func fixture(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    }

    /// A database holding the previous release's desk, built from its dump statement by statement.
    static func previousRelease(on kind: TestDatabase) async throws -> TestDatabase.Provisioned {
        let provisioned = try await kind.provision()
        switch provisioned.choice {
        case .sqlite(let path):
            // One connection, so that the dump's `PRAGMA foreign_keys=OFF` holds for all its inserts.
            let connection = try await SQLiteConnection.open(storage: .file(path: path))
            do {
                for statement in Self.statements(of: try String(contentsOf: try fixture("\(release).sqlite.sql"), encoding: .utf8)) {
                    try await connection.query(statement, []) { _ in }
                }
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        case .postgres(let url):
            let dump = try String(contentsOf: try fixture("\(release).postgres.sql"), encoding: .utf8)
            let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
            try DatabaseSetup.register(.postgres(url: url), on: databases)
            do {
                let database = try #require(databases.database(logger: Logger(label: "accord.test"), on: MultiThreadedEventLoopGroup.singleton.any()) as? any PostgresDatabase)
                for statement in Self.statements(of: dump) {
                    _ = try await database.simpleQuery(statement).get()
                }
            } catch {
                await databases.shutdownAsync()
                throw FixtureError(description: String(reflecting: error))
            }
            await databases.shutdownAsync()
        case .sqliteInMemory:
            Issue.record("the fixture needs a database file")
        }
        return provisioned
    }

    /// The statements of a plain dump (pg_dump, or sqlite3's `.dump`): each ends with `;` at the end of a line outside a quoted
    /// literal (`''` inside one keeps the count of quotes even); comments and blank lines go.
    static func statements(of dump: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quotes = 0
        for line in dump.split(separator: "\n", omittingEmptySubsequences: false) {
            if current.isEmpty && (line.hasPrefix("--") || line.trimmingCharacters(in: .whitespaces).isEmpty) { continue }
            current += line + "\n"
            quotes += line.filter { $0 == "'" }.count
            if line.hasSuffix(";") && quotes.isMultiple(of: 2) {
                statements.append(current)
                current = ""
                quotes = 0
            }
        }
        return statements
    }

    @Test(arguments: TestDatabase.all) func aDeskOfThePreviousReleaseUpgradesAndKeepsEverything(_ kind: TestDatabase) async throws {
        let tokens = try JSONSerialization.jsonObject(with: Data(contentsOf: try Self.fixture("\(Self.release).tokens.json"))) as? [String: String]
        let admin = try #require(tokens?[kind.testDescription == "SQLite" ? "sqlite" : "postgres"])
        let database = try await Self.previousRelease(on: kind)
        try await DeskHarness.run(at: "2026-11-23T18:00:00Z", on: kind, database: database) { desk in
            // Every migration of this release ran, in order, after the previous release's six.
            let store = DeskStore(database: desk.app.db)
            let sql = try #require(desk.app.db as? any SQLDatabase)
            let ran = try await sql.raw("SELECT name FROM _fluent_migrations ORDER BY batch, name").all()
                .map { try $0.decode(column: "name", as: String.self) }
            #expect(Set(ran) == Set(DeskStore.migrations.map { "AccordStore." + String(describing: type(of: $0)) }))
            #expect(ran.count == DeskStore.migrations.count)

            // The old administrator's token, customers, cases and their timelines all still work.
            #expect(try await desk.call(.GET, "/api/v1/me", token: admin).string["email"] == "admin@localhost")
            let organizations = try await desk.list("/api/v1/organizations", token: admin)
            #expect(organizations.count == 4)
            let page = try await desk.call(.GET, "/api/v1/cases?limit=200", token: admin)
            let items = try #require(page["items"] as? [[String: Any]])
            #expect(items.count == 12)
            for item in items {
                let id = try #require(item["id"] as? String)
                let read = try await desk.call(.GET, "/api/v1/cases/\(id)", token: admin)
                #expect(read.status == .ok, "\(read.json)")
                #expect((read["clocks"] as? [[String: Any]])?.isEmpty == false)
            }
            // The cases the previous release stored were indexed by the upgrade: search finds them.
            let found = try await desk.call(.GET, "/api/v1/cases?q=scanner%20gateway", token: admin)
            #expect((found["items"] as? [[String: Any]])?.compactMap { $0["number"] as? String } == ["ACME-2026-000003"], "\(found.json)")
            // New work lands on the upgraded schema: a case logged today, an attachment with its erasure column.
            let acme = try #require(organizations.first { $0["casePrefix"] as? String == "ACME" || $0["name"] as? String == "Acme Manufacturing" })
            let org = try #require(acme["id"] as? String)
            let created = try await desk.call(.POST, "/api/v1/organizations/\(org)/people", token: admin,
                                              body: #"{"name":"New","email":"new@acme.test","role":"user"}"#)
            let personID = try #require(created.string["id"], "\(created.json)")
            let token = try #require(try await desk.call(.POST, "/api/v1/people/\(personID)/tokens", token: admin).string["token"])
            let person = (id: personID, token: token)
            let logged = try await desk.call(.POST, "/api/v1/cases", token: person.token, body: #"{"title":"After the upgrade","description":"d","priority":"p1","channel":"web"}"#)
            #expect(logged.status == .created, "\(logged.json)")
            let file = try await desk.upload("/api/v1/cases/\(try #require(logged.string["id"]))/attachments", token: person.token,
                                             filename: "a.txt", data: Data("after".utf8))
            #expect(file.status == .created && file["erasedAt"] == nil)
            #expect(try await store.administratorCount() == 1)
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
}
