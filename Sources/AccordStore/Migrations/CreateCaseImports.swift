import FluentKit
import FluentSQL

/// The cases brought from another desk, by the id they had there: importing the same file twice
/// makes each case once.
struct CreateCaseImports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("case_imports")
            .field("external_id", .string, .identifier(auto: false))
            .field("case_id", .uuid, .required, .references(CaseModel.schema, .id))
            .field("imported_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("case_imports").delete()
    }
}
