import FluentKit

/// An attachment can be internal: sent by staff with an internal note, seen by staff only. Every
/// attachment stored before was sent in the open (`false`).
struct RecordInternalAttachments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("attachments").field("internal", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attachments").deleteField("internal").update()
    }
}
