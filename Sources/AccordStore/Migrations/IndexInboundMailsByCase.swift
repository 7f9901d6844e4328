import FluentKit
import FluentSQL

/// A case's messages by mail (the console's case page lists them for staff) read by index, not by
/// scanning every stored message — whose raw bytes the rows hold.
struct IndexInboundMailsByCase: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (try database.sql).raw("CREATE INDEX inbound_mails_by_case ON inbound_mails (case_id, received)").run()
    }

    func revert(on database: any Database) async throws {
        try await (try database.sql).raw("DROP INDEX inbound_mails_by_case").run()
    }
}
