import FluentKit
import FluentSQL

/// People who leave (and may come back) are deactivated rather than erased: `deactivated_at` says
/// since when they cannot sign in. Every change to a person — role, tier, email, name,
/// deactivation — is kept in `person_events` with who, when and what.
struct RecordDeactivationsAndPersonHistory: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("people").field("deactivated_at", .datetime).update()
        try await database.schema("person_events")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("at", .datetime, .required)
            .field("actor_id", .uuid, .references("people", "id"))
            .field("kind", .string, .required)
            .field("detail", .string, .required)
            .create()
        try await database.sql.raw("CREATE INDEX person_events_by_person ON person_events (person_id, at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("person_events").delete()
        try await database.schema("people").deleteField("deactivated_at").update()
    }
}
