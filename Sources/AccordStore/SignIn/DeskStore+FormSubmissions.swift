import FluentKit
import FluentSQL
public import Foundation

/// Where a form post stands: the first of its key (go on and do it), one already done (its
/// result), or one still under way in another request.
public enum FormSubmission: Sendable, Equatable {
    case first
    case done(String)
    case underWay
}

extension DeskStore {
    /// Claims a form's one-time key for a session. Keys older than a day are forgotten.
    public func claimFormSubmission(session: UUID, once: String, at instant: Date) async throws -> FormSubmission {
        let now = instant.timeIntervalSince1970
        let once = String(once.prefix(64))
        return try await write { db in
            let sql = try db.sql
            let inserted = try await sql.raw("""
                INSERT INTO form_submissions (session_id, once, created) VALUES (\(bind: session), \(bind: once), \(bind: now))
                ON CONFLICT (session_id, once) DO NOTHING RETURNING once
                """).first()
            if inserted != nil {
                try await sql.raw("DELETE FROM form_submissions WHERE created < \(bind: now - 86_400)").run()
                return .first
            }
            let row = try await sql.raw("SELECT result FROM form_submissions WHERE session_id = \(bind: session) AND once = \(bind: once)").first()
            return try row?.decode(column: "result", as: String?.self).map(FormSubmission.done) ?? .underWay
        }
    }

    /// Records where the claimed submission's result lives (the new case's page).
    public func completeFormSubmission(session: UUID, once: String, result: String) async throws {
        try await write { db in
            try await db.sql.update("form_submissions").set("result", to: result)
                .where("session_id", .equal, session).where("once", .equal, String(once.prefix(64))).run()
        }
    }

    /// Gives a claimed key back when the post was refused, so the corrected form may be sent with it.
    public func releaseFormSubmission(session: UUID, once: String) async throws {
        try await write { db in
            try await db.sql.delete(from: "form_submissions")
                .where("session_id", .equal, session).where("once", .equal, String(once.prefix(64))).where("result", .is, SQLLiteral.null).run()
        }
    }
}
