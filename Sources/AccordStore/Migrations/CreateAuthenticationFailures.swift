import FluentKit

/// Each client address's bucket of allowed failed authentications, shared by every server of a desk
/// so that an address cannot multiply its guesses by the number of servers.
struct CreateAuthenticationFailures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("authentication_failures")
            .field("address", .string, .identifier(auto: false))
            .field("tokens", .double, .required)
            .field("updated", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("authentication_failures").delete()
    }
}
