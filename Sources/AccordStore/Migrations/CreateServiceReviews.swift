import FluentKit
import FluentSQL

/// Service reviews as prepared and published: each version's content frozen as JSON, the TAM's
/// notes, and when it was published — a published version is never changed; a correction is the
/// next version.
struct CreateServiceReviews: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("service_reviews")
            .id()
            .field("organization_id", .uuid, .required, .references(OrganizationModel.schema, .id))
            .field("period", .string, .required)
            .field("version", .int, .required)
            .field("content", .string, .required)
            .field("notes", .string, .required)
            .field("prepared_at", .datetime, .required)
            .field("prepared_by", .uuid, .references(PersonModel.schema, .id))
            .field("published_at", .datetime)
            .field("published_by", .uuid, .references(PersonModel.schema, .id))
            .unique(on: "organization_id", "period", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("service_reviews").delete()
    }
}
