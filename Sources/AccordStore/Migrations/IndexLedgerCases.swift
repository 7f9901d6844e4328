import FluentKit
import FluentSQL

/// The ledgers' candidates read by index: vulnerability cases (a CVSS score) and confirmed defects
/// (their `defect-confirmed` event), not by scanning every case and every event.
struct IndexLedgerCases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (try database.sql).raw("CREATE INDEX cases_with_cvss ON cases (id) WHERE cvss IS NOT NULL").run()
        try await (try database.sql).raw("CREATE INDEX case_events_defects_confirmed ON case_events (case_id) WHERE kind = 'defect-confirmed'").run()
    }

    func revert(on database: any Database) async throws {
        try await (try database.sql).raw("DROP INDEX case_events_defects_confirmed").run()
        try await (try database.sql).raw("DROP INDEX cases_with_cvss").run()
    }
}
