import FluentKit
import FluentSQL

/// Attainment reports read a period's clocks without replaying each case: a decided clock keeps the
/// time it used (pauses excluded) and the measure it counts in, and cases are found by when they
/// were logged. Clocks decided before this migration are measured once at the desk's next start
/// (`ClockTimeBackfill`).
struct RecordClockTimeUsed: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite alters a table one column at a time.
        try await database.schema(ClockModel.schema).field("used", .int64).update()
        try await database.schema(ClockModel.schema).field("measure", .string).update()
        try await (try database.sql).raw("CREATE INDEX cases_logged_at ON cases (logged_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await (try database.sql).raw("DROP INDEX cases_logged_at").run()
        try await database.schema(ClockModel.schema).deleteField("measure").update()
        try await database.schema(ClockModel.schema).deleteField("used").update()
    }
}
