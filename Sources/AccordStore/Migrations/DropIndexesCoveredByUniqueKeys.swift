import FluentKit
import FluentSQL

/// Drops two indexes on `case_id` that the unique keys beginning with `case_id` already serve
/// (`clocks (case_id, metric)`, `clock_alarms (case_id, metric, kind)`): every clock and alarm
/// written or raised paid for an index no query needs.
struct DropIndexesCoveredByUniqueKeys: AsyncMigration {
    static let indexes = [("clock_alarms_case", "clock_alarms"), ("clocks_case", "clocks")]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (index, _) in Self.indexes {
            try await sql.raw("DROP INDEX IF EXISTS \(ident: index)").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (index, table) in Self.indexes {
            try await sql.raw("CREATE INDEX \(ident: index) ON \(ident: table) (case_id)").run()
        }
    }
}
