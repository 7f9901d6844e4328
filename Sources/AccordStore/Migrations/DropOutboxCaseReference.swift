import FluentKit
import FluentSQL

/// On PostgreSQL, drops the foreign key from `outbox.case_id` to `cases`. Every entry is written
/// in the transaction that just read or changed its case (or, for an alarm, from a `clock_alarms`
/// row that holds the same reference), and cases are never deleted (erasure anonymizes them), so
/// the key checked nothing; PostgreSQL checks it with a trigger per row that locks the case row,
/// which was a sixth of a monitor pass raising 10,000 alarms. SQLite checks it with an index probe
/// in the same call and would need the table rebuilt to drop it, so it keeps it.
struct DropOutboxCaseReference: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard database.isPostgres else { return }
        let sql = try database.sql
        try await sql.raw("ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_case_id_fkey").run()
    }

    func revert(on database: any Database) async throws {
        guard database.isPostgres else { return }
        let sql = try database.sql
        try await sql.raw("ALTER TABLE outbox ADD CONSTRAINT outbox_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id)").run()
    }
}
