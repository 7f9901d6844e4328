import FluentKit

/// Attachments remember when they were erased with their uploader's personal data: the row stays
/// (the case's record of what was sent, and when), the name and bytes go.
struct RecordErasedAttachments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("attachments").field("erased_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attachments").deleteField("erased_at").update()
    }
}
