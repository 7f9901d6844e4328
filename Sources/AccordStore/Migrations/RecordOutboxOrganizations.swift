import FluentKit

/// An outbox entry about an organization rather than a case — a published service review — names
/// the organization, so that the dispatch mails its authorized contacts.
struct RecordOutboxOrganizations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("outbox").field("organization_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("outbox").deleteField("organization_id").update()
    }
}
