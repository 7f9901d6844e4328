import AccordStore
import Foundation
import Vapor

/// The desk's database for a command that works on it directly: the SQLite file `--db`, or
/// PostgreSQL when DATABASE_URL is set; migrated first, shut down afterwards, also on error.
enum DeskDatabase {
    static func with(sqlitePath: String, _ body: (Application, DeskStore) async throws -> Void) async throws {
        let app = try await Application.make(Environment(name: "production", arguments: ["accord"]))
        do {
            let choice = DatabaseSetup.choice(databaseURL: ProcessInfo.processInfo.environment["DATABASE_URL"], sqlitePath: sqlitePath)
            try DatabaseSetup.register(choice, on: app.databases)
            app.migrations.add(DeskStore.migrations)
            try await PreparationLock.whilePreparing(choice, on: app.db) { try await app.autoMigrate() }
            try await body(app, DeskStore(database: app.db, writes: DatabaseSetup.needsWriteGate(choice) ? WriteGate() : nil))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
