import FluentKit
import FluentSQL

/// The SLA monitor's tables: the alarms each counting clock is to raise, the outbox written in the
/// same transaction as what it announces, the deliveries it fans out to with every attempt, the
/// webhook subscriptions and the editable message templates.
struct CreateMonitorSchema: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("clock_alarms")
            .id()
            .field("case_id", .uuid, .required, .references("cases", .id))
            .field("metric", .string, .required)
            .field("kind", .string, .required)
            .field("at", .datetime, .required)
            .field("raised_at", .datetime)
            .unique(on: "case_id", "metric", "kind")
            .create()
        try await database.schema("outbox")
            .id()
            .field("kind", .string, .required)
            .field("case_id", .uuid, .references("cases", .id))
            .field("payload", .string, .required)
            .field("created_at", .datetime, .required)
            .field("dispatched_at", .datetime)
            .create()
        try await database.schema("webhooks")
            .id()
            .field("url", .string, .required)
            .field("secret", .string, .required)
            .field("events", .string, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("deliveries")
            .id()
            .field("outbox_id", .uuid, .required, .references("outbox", .id))
            .field("channel", .string, .required)
            .field("target", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("leased_until", .datetime)
            .field("created_at", .datetime, .required)
            .field("delivered_at", .datetime)
            .field("last_error", .string)
            .create()
        try await database.schema("delivery_attempts")
            .id()
            .field("delivery_id", .uuid, .required, .references("deliveries", .id))
            .field("at", .datetime, .required)
            .field("outcome", .string, .required)
            .field("detail", .string, .required)
            .create()
        try await database.schema("templates")
            .field("name", .string, .identifier(auto: false))
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("updated_by", .uuid)
            .field("updated_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // Partial indexes: the monitor and the deliverer look only at what is still to do.
        try await sql.raw("CREATE INDEX clock_alarms_pending ON clock_alarms (at) WHERE raised_at IS NULL").run()
        try await sql.raw("CREATE INDEX clock_alarms_case ON clock_alarms (case_id)").run()
        // A case's clocks are replaced on every change to it; without this each replacement scans them all.
        try await sql.raw("CREATE INDEX clocks_case ON clocks (case_id)").run()
        try await sql.raw("CREATE INDEX outbox_pending ON outbox (created_at) WHERE dispatched_at IS NULL").run()
        try await sql.raw("CREATE INDEX deliveries_pending ON deliveries (next_attempt_at) WHERE state = 'pending'").run()
        try await sql.raw("CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id)").run()
    }

    func revert(on database: any Database) async throws {
        for schema in ["templates", "delivery_attempts", "deliveries", "webhooks", "outbox", "clock_alarms"] {
            try await database.schema(schema).delete()
        }
    }
}
