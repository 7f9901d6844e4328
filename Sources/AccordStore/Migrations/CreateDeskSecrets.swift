import FluentKit

/// Secrets the servers of one desk share, made once by the first server that needs one: the key
/// the desk signs its own Message-IDs with (so a reply's In-Reply-To can be trusted to name a case).
struct CreateDeskSecrets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("desk_secrets")
            .field("name", .string, .identifier(auto: false))
            .field("secret", .data, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("desk_secrets").delete()
    }
}
