import FluentKit
import FluentSQL

/// Each web form that creates something carries a one-time key; the first post with it is
/// recorded here with where its result lives, so a second post of the same form — a double
/// click, a reload, a retry after a lost answer — leads to that result instead of a second case.
struct CreateFormSubmissions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("form_submissions")
            .field("session_id", .uuid, .required)
            .field("once", .string, .required)
            .field("result", .string)
            .field("created", .double, .required)
            .unique(on: "session_id", "once")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("form_submissions").delete()
    }
}
