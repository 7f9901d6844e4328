import AccordStore
import Foundation
import Vapor

/// The desk's database for a command that works on it directly: the SQLite file `--db`, or
/// PostgreSQL when DATABASE_URL is set; migrated first, shut down afterwards, also on error. A
/// SQLite file is written through a dedicated writer, as the server writes it, so a command
/// beside a running server waits for the server's writes instead of failing.
enum DeskDatabase {
    static func with(sqlitePath: String, _ body: (Application, DeskStore) async throws -> Void) async throws {
        let app = try await Application.make(Environment(name: "production", arguments: ["accord"]))
        var writer: DedicatedWriter?
        do {
            let choice = DatabaseSetup.choice(databaseURL: ProcessInfo.processInfo.environment["DATABASE_URL"], sqlitePath: sqlitePath)
            try DatabaseSetup.register(choice, on: app.databases)
            app.migrations.add(DeskStore.migrations)
            try await PreparationLock.whilePreparing(choice, on: app.db) {
                try await DatabaseSetup.layOut(choice, on: app.db)
                try await app.autoMigrate()
            }
            writer = try await DatabaseSetup.dedicatedWriter(choice)
            try await body(app, DeskStore(database: app.db, writes: DatabaseSetup.needsWriteGate(choice) ? WriteGate(writer: writer) : nil))
        } catch {
            await writer?.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
        await writer?.shutdown()
        try await app.asyncShutdown()
    }
}
