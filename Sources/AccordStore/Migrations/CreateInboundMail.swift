import FluentKit
import FluentSQL

/// Mail taken in: each message's raw bytes, stored before anything is done with them and keyed by
/// their SHA-256 so a delivery retried after a timeout is one message; what became of it (a case, a
/// reply, a quarantine) and a lease, so that of several servers exactly one processes it and a
/// message whose server died mid-way is taken up again. And the tokens of mail gateways (`accord
/// mailgate`), which can deliver mail and do nothing else.
struct CreateInboundMail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("inbound_mails")
            .field("id", .uuid, .identifier(auto: false))
            .field("digest", .string, .required)
            .field("raw", .data, .required)
            .field("size", .int64, .required)
            .field("recipient", .string)
            .field("sender", .string)
            .field("subject", .string)
            .field("message_id", .string)
            .field("received", .double, .required)
            .field("status", .string, .required)
            .field("outcome", .string)
            .field("case_id", .uuid)
            .field("reason", .string)
            .field("attempts", .int, .required)
            .field("lease", .double)
            .field("finished", .double)
            .unique(on: "digest")
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX inbound_mails_by_message_id ON inbound_mails (message_id)").run()
        try await sql.raw("CREATE INDEX inbound_mails_by_status ON inbound_mails (status, received)").run()
        try await database.schema("mail_gateway_tokens")
            .field("id", .uuid, .identifier(auto: false))
            .field("label", .string, .required)
            .field("secret_hash", .string, .required)
            .field("created", .double, .required)
            .unique(on: "secret_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("mail_gateway_tokens").delete()
        try await database.schema("inbound_mails").delete()
    }
}
