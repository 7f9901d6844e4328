import AccordServer
import AccordStore
import FluentKit
import Foundation
import Testing
import Vapor

/// The databases every store and desk test runs on: SQLite always, PostgreSQL as well when
/// `DATABASE_URL` names a server (CI starts one). Each test gets a database of its own.
enum TestDatabase: Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres(serverURL: String)

    static var all: [TestDatabase] {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else { return [.sqlite] }
        return [.sqlite, .postgres(serverURL: url)]
    }

    var testDescription: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    /// A fresh, empty database: a temporary SQLite file, or a new PostgreSQL database on the server.
    func provision() async throws -> Provisioned {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("accord-test-\(UUID()).sqlite").path
            return Provisioned(choice: .sqlite(path: path), cleanUp: {
                for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            })
        case .postgres(let serverURL):
            let name = "accord_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await Self.administer(serverURL, "CREATE DATABASE \(name)")
            return Provisioned(choice: .postgres(url: Self.url(serverURL, database: name)), cleanUp: {
                try? await Self.administer(serverURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            })
        }
    }

    struct Provisioned: Sendable {
        let choice: DatabaseSetup.Choice
        let cleanUp: @Sendable () async -> Void
    }

    /// Runs one statement on the server's maintenance database.
    private static func administer(_ serverURL: String, _ statement: String) async throws {
        try await DatabaseSetup.execute(statement, on: .postgres(url: url(serverURL, database: "postgres")))
    }

    /// `serverURL` with its database path replaced.
    static func url(_ serverURL: String, database: String) -> String {
        var components = URLComponents(string: serverURL)!
        components.path = "/" + database
        return components.string!
    }
}

extension Databases {
    /// Runs the first `count` of the desk's migrations (all of them by default) on the default
    /// database, as `accord serve` would; a later call runs only those not yet run.
    func migrateDesk(upTo count: Int = DeskStore.migrations.count, logger: Logger) async throws {
        let migrations = Migrations()
        migrations.add(Array(DeskStore.migrations.prefix(count)))
        let migrator = Migrator(databases: self, migrations: migrations, logger: logger, on: eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }
}
