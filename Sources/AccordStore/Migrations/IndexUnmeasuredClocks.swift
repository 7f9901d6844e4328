import FluentKit
import FluentSQL

/// The decided clocks still without their time used, read by index: every desk start looks for
/// them (`ClockTimeBackfill`), and without it each start scanned every clock of the desk. Only the
/// clocks decided before `RecordClockTimeUsed` are in it, so it is empty once they are measured.
struct IndexUnmeasuredClocks: AsyncMigration {
    /// The condition the index and the query that reads it share, word for word (the planner uses a
    /// partial index only for a query whose condition implies the index's).
    static let condition = "used IS NULL AND state IN ('met', 'breached')"

    func prepare(on database: any Database) async throws {
        try await (try database.sql).raw("CREATE INDEX clocks_unmeasured ON clocks (case_id) WHERE \(unsafeRaw: Self.condition)").run()
    }

    func revert(on database: any Database) async throws {
        try await (try database.sql).raw("DROP INDEX clocks_unmeasured").run()
    }
}
