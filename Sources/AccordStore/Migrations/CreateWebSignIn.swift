import FluentKit
import FluentSQL

/// Signing in through the web: a person's bcrypt password hash, their browser sessions and the
/// one-time invitations through which they set a first password. Sessions and invitations are
/// shared by every server of a desk and keep only the SHA-256 of their secrets; times are seconds
/// since 1970, compared in SQL the same way on SQLite and PostgreSQL.
struct CreateWebSignIn: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("people").field("password_hash", .string).update()
        try await database.schema("web_sessions")
            .id()
            .field("secret_hash", .string, .required)
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("csrf_token", .string, .required)
            .field("created", .double, .required)
            .field("seen", .double, .required)
            .field("expires", .double, .required)
            .field("address", .string, .required)
            .unique(on: "secret_hash")
            .create()
        try await database.sql.raw("CREATE INDEX web_sessions_by_person ON web_sessions (person_id)").run()
        try await database.schema("invitations")
            .id()
            .field("secret_hash", .string, .required)
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("invited_by", .uuid, .references("people", "id"))
            .field("created", .double, .required)
            .field("expires", .double, .required)
            .field("used", .double)
            .unique(on: "secret_hash")
            .create()
        try await database.sql.raw("CREATE INDEX invitations_by_person ON invitations (person_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("invitations").delete()
        try await database.schema("web_sessions").delete()
        try await database.schema("people").deleteField("password_hash").update()
    }
}
