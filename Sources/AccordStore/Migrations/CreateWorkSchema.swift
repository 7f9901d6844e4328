import FluentKit
import FluentSQL

/// Routing and work: where each case waits (team, tier, queue and the keys its queue sorts by), who
/// took it, team memberships, each customer's priority-sender list, and the people who hold an
/// account role (the primary contact, the TAM).
struct CreateWorkSchema: AsyncMigration {
    static let caseColumns: [(String, DatabaseSchema.DataType)] = [
        ("team_id", .string), ("tier", .int), ("queue_rank", .int), ("plan_rank", .int), ("priority_rank", .int), ("language", .string),
        ("mailbox", .string), ("queue_due", .datetime), ("assignee_id", .uuid), ("assigned_at", .datetime), ("advocate_id", .uuid),
    ]

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite alters a table one column at a time.
        for (name, type) in Self.caseColumns {
            try await database.schema(CaseModel.schema).field(.definition(name: .key(.init(stringLiteral: name)), dataType: type, constraints: [])).update()
        }
        try await database.schema("team_members")
            .id()
            .field("policy_id", .string, .required)
            .field("team_id", .string, .required)
            .field("person_id", .uuid, .required, .references(PersonModel.schema, .id))
            .field("lead", .bool, .required)
            .field("languages", .string, .required)
            .field("added_at", .datetime, .required)
            .unique(on: "policy_id", "team_id", "person_id")
            .create()
        try await database.schema("priority_senders")
            .id()
            .field("organization_id", .uuid, .required, .references(OrganizationModel.schema, .id))
            .field("entry", .string, .required)
            .unique(on: "organization_id", "entry")
            .create()
        try await database.schema("account_roles")
            .id()
            .field("organization_id", .uuid, .required, .references(OrganizationModel.schema, .id))
            .field("role", .string, .required)
            .field("person_id", .uuid, .required, .references(PersonModel.schema, .id))
            .unique(on: "organization_id", "role")
            .create()
        // A delivery to an agent or team lead names the team whose working hours may hold it.
        try await database.schema("deliveries").field("hold_team", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        // The waiting cases of a team in the default queue order, read straight off the index by
        // "take next"; assigned and finished cases leave it.
        try await sql.raw("""
            CREATE INDEX cases_waiting ON cases (policy_id, team_id, tier, queue_rank, plan_rank, queue_due, logged_at, number)
            WHERE assignee_id IS NULL AND status IN ('new', 'open')
            """).run()
        try await sql.raw("CREATE INDEX cases_assignee ON cases (assignee_id) WHERE assignee_id IS NOT NULL").run()
        try await sql.raw("CREATE INDEX team_members_person ON team_members (person_id)").run()
    }

    func revert(on database: any Database) async throws {
        for schema in ["account_roles", "priority_senders", "team_members"] {
            try await database.schema(schema).delete()
        }
        try await database.schema("deliveries").deleteField("hold_team").update()
        for (name, _) in Self.caseColumns {
            try await database.schema(CaseModel.schema).deleteField(.key(.init(stringLiteral: name))).update()
        }
    }
}
