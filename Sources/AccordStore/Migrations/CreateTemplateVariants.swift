import FluentKit
import FluentSQL

/// Mail templates per policy and language: `message_templates` holds an administrator's text for an
/// event, for one policy or every one (`policy` empty) and one language or every one (`language`
/// empty), one text per combination. The texts saved before (`templates`, for every policy and
/// language) move over unchanged.
struct CreateTemplateVariants: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("message_templates")
            .field("name", .string, .required)
            .field("policy", .string, .required)
            .field("language", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("updated_by", .uuid)
            .field("updated_at", .datetime, .required)
            .unique(on: "name", "policy", "language")
            .create()
        let sql = try database.sql
        try await sql.raw("""
            INSERT INTO message_templates (name, policy, language, subject, body, updated_by, updated_at)
            SELECT name, '', '', subject, body, updated_by, updated_at FROM templates
            """).run()
        try await database.schema("templates").delete()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("templates")
            .field("name", .string, .identifier(auto: false))
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("updated_by", .uuid)
            .field("updated_at", .datetime, .required)
            .create()
        try await (try database.sql).raw("""
            INSERT INTO templates (name, subject, body, updated_by, updated_at)
            SELECT name, subject, body, updated_by, updated_at FROM message_templates WHERE policy = '' AND language = ''
            """).run()
        try await database.schema("message_templates").delete()
    }
}
