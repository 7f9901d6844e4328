import FluentKit

/// Which server fetches each IMAP mailbox, and until when: of several `accord serve` on one
/// database, one fetches a mailbox at a time, and another takes over when its lease runs out.
struct CreateMailFetchLeases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("mail_fetch_leases")
            .field("mailbox", .string, .identifier(auto: false))
            .field("holder", .uuid, .required)
            .field("until", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("mail_fetch_leases").delete()
    }
}
