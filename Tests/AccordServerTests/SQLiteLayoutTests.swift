import AccordServer
import AccordStore
import FluentKit
import Foundation
import SQLKit
import Testing
import VaporTesting

/// A new SQLite desk is laid out for a desk of millions of cases (16 KB pages) and logs ahead; a
/// desk made by an earlier release keeps the pages it has and runs as before.
struct SQLiteLayoutTests {
    @Test func aNewDeskFileHasSixteenKilobytePagesAndAWriteAheadLog() async throws {
        let database = try await TestDatabase.sqlite.provision()
        defer { Task { await database.cleanUp() } }
        let layout = try await Self.layout(afterStartingOn: database.choice)
        #expect(layout.pageSize == 16_384)
        #expect(layout.pageSize == DatabaseSetup.sqlitePageSize)
        #expect(layout.journalMode == "wal")
        #expect(layout.policies > 0, "the desk started and stored its presets")
    }

    @Test func aDeskWithSmallerPagesKeepsThem() async throws {
        let database = try await TestDatabase.sqlite.provision()
        defer { Task { await database.cleanUp() } }
        // A file written before this release: SQLite's default pages, a rollback journal.
        try await DatabaseSetup.execute("CREATE TABLE written_before (x INTEGER)", on: database.choice)
        let layout = try await Self.layout(afterStartingOn: database.choice)
        #expect(layout.pageSize == 4_096)
        #expect(layout.journalMode == "wal")
        #expect(layout.policies > 0, "the desk started and stored its presets")
    }

    struct Layout {
        let pageSize: Int
        let journalMode: String
        let policies: Int
    }

    /// Starts a desk on `choice` as `accord serve` does, and reads how its file is laid out.
    static func layout(afterStartingOn choice: DatabaseSetup.Choice) async throws -> Layout {
        let attachments = FileManager.default.temporaryDirectory.appendingPathComponent("accord-attachments-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: attachments) }
        let app = try await Application.make(.testing)
        do {
            try await AccordApp.configure(app, AccordApp.Configuration(database: choice, attachmentDirectory: attachments))
            let sql = try #require(app.db as? any SQLDatabase)
            let pageSize = try #require(try await sql.raw("PRAGMA page_size").first()?.decode(column: "page_size", as: Int.self))
            let journalMode = try #require(try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self))
            let policies = try await DeskStore(database: app.db).storedPolicies().count
            try await app.asyncShutdown()
            return Layout(pageSize: pageSize, journalMode: journalMode, policies: policies)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
