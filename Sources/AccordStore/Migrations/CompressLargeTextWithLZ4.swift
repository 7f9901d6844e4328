import FluentKit
import FluentSQL

/// PostgreSQL compresses the desk's large values — a message's raw bytes, a case's description and
/// its timeline's texts, the search vectors — with LZ4 instead of its own `pglz`: about ten times
/// quicker to write for a little more space (a typical mailed case: `pglz` was a sixth of the
/// database's CPU). Values already stored keep their compression and stay readable; new ones use
/// LZ4. A PostgreSQL without LZ4 (before 14, or built without it) is left as it is. SQLite stores
/// values uncompressed either way.
struct CompressLargeTextWithLZ4: AsyncMigration {
    static let columns = [("inbound_mails", "raw"), ("cases", "description"), ("cases", "steps_to_reproduce"),
                          ("case_events", "body"), ("case_search", "document")]

    func prepare(on database: any Database) async throws {
        try await compress(with: "lz4", on: database)
    }

    func revert(on database: any Database) async throws {
        try await compress(with: "default", on: database)
    }

    private func compress(with method: String, on database: any Database) async throws {
        guard database.isPostgres else { return }
        let sql = try database.sql
        let offered = try await sql.raw("""
            SELECT 1 AS offered FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)
            """).first()
        guard offered != nil else { return }
        for (table, column) in Self.columns {
            try await sql.raw("ALTER TABLE \(ident: table) ALTER COLUMN \(ident: column) SET COMPRESSION \(unsafeRaw: method)").run()
        }
    }
}
