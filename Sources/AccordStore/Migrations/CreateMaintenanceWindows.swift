import FluentKit
import FluentSQL

/// Scheduled maintenance as recorded: for one customer, or for every customer of a policy
/// (`organization_id` empty); a window past the contract's limits carries the administrator's
/// reason for recording it anyway.
struct CreateMaintenanceWindows: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("maintenance_windows")
            .id()
            .field("policy_id", .string, .required)
            .field("organization_id", .uuid, .references(OrganizationModel.schema, .id))
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("kind", .string, .required)
            .field("note", .string, .required)
            .field("override_reason", .string)
            .field("recorded_by", .uuid, .references(PersonModel.schema, .id))
            .field("recorded_at", .datetime, .required)
            .create()
        try await (try database.sql).raw("CREATE INDEX maintenance_windows_policy ON maintenance_windows (policy_id, starts_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("maintenance_windows").delete()
    }
}
