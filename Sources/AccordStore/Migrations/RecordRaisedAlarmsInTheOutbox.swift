import FluentKit
import FluentSQL

/// Makes the outbox the record of raised alarms: an entry names the alarm it raised (`metric`,
/// `alarm`), and `clock_alarms` keeps only the alarms still to come, so a monitor pass deletes the
/// rows it raises instead of marking them (on PostgreSQL marking rewrote each row and its
/// indexes: `raised_at` was the pending index's predicate). Alarms raised before are moved: their
/// entry is labelled, or written (already dispatched) where an older pass gave it another id.
struct RecordRaisedAlarmsInTheOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        let postgres = database.isPostgres
        try await sql.raw("ALTER TABLE outbox ADD COLUMN metric TEXT").run()
        try await sql.raw("ALTER TABLE outbox ADD COLUMN alarm TEXT").run()
        try await sql.raw("""
            UPDATE outbox SET metric = a.metric, alarm = a.kind FROM clock_alarms a
            WHERE outbox.id = a.id AND a.raised_at IS NOT NULL
            """).run()
        let raisedAt: SQLQueryString = postgres ? "to_char(a.raised_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            : "strftime('%Y-%m-%dT%H:%M:%SZ', a.raised_at, 'unixepoch')"
        try await sql.raw("""
            INSERT INTO outbox (\(DeskStore.alarmEntryColumns), created_at, dispatched_at)
            SELECT \(DeskStore.alarmEntry(raisedAt: raisedAt, postgres: postgres)), a.raised_at, a.raised_at
            FROM clock_alarms a LEFT JOIN clocks c ON c.case_id = a.case_id AND c.metric = a.metric
            WHERE a.raised_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = a.id)
            """).run()
        try await sql.raw("DELETE FROM clock_alarms WHERE raised_at IS NOT NULL").run()
        try await sql.raw("DROP INDEX clock_alarms_pending").run()
        try await sql.raw("ALTER TABLE clock_alarms DROP COLUMN raised_at").run()
        try await sql.raw("CREATE INDEX clock_alarms_due ON clock_alarms (at)").run()
        try await sql.raw("CREATE INDEX outbox_case ON outbox (case_id, metric, alarm)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        let alarmAt: SQLQueryString = database.isPostgres ? "(payload::json->>'alarmAt')::timestamptz"
            : "CAST(strftime('%s', json_extract(payload, '$.alarmAt')) AS REAL)"
        try await sql.raw("DROP INDEX outbox_case").run()
        try await sql.raw("DROP INDEX clock_alarms_due").run()
        try await sql.raw("ALTER TABLE clock_alarms ADD COLUMN raised_at \(unsafeRaw: database.isPostgres ? "TIMESTAMPTZ" : "REAL")").run()
        try await sql.raw("""
            INSERT INTO clock_alarms (id, case_id, metric, kind, at, raised_at)
            SELECT id, case_id, metric, alarm, \(alarmAt), created_at FROM outbox WHERE alarm IS NOT NULL
            """).run()
        try await sql.raw("CREATE INDEX clock_alarms_pending ON clock_alarms (at) WHERE raised_at IS NULL").run()
        try await sql.raw("ALTER TABLE outbox DROP COLUMN alarm").run()
        try await sql.raw("ALTER TABLE outbox DROP COLUMN metric").run()
    }
}
