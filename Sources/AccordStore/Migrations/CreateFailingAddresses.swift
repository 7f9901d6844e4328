import FluentKit
import FluentSQL

/// Mail's own bookkeeping for replies to senders: addresses a bounce said fail (cleared when mail
/// comes from them again), and an index on deliveries' targets, by which automatic replies to one
/// address are counted and limited.
struct CreateFailingAddresses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("failing_addresses")
            .field("address", .string, .identifier(auto: false))
            .field("since", .double, .required)
            .field("last_bounce", .double, .required)
            .field("bounces", .int, .required)
            .field("mail_id", .uuid)
            .field("case_id", .uuid)
            .field("reason", .string)
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX deliveries_target ON deliveries (target, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        try await sql.raw("DROP INDEX deliveries_target").run()
        try await database.schema("failing_addresses").delete()
    }
}
