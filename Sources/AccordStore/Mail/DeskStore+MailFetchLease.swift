import FluentKit
import FluentSQL
public import Foundation

extension DeskStore {
    /// Claims (or renews) the right to fetch `mailbox` for `holder` until `until`: true when
    /// `holder` has it — no one had it, its lease ran out by `now`, or it was `holder`'s already.
    public func claimFetchLease(_ mailbox: String, holder: UUID, until: Date, at now: Date) async throws -> Bool {
        try await write { db in
            let sql = try db.sql
            try await sql.raw("""
                INSERT INTO mail_fetch_leases (mailbox, holder, until) VALUES (\(bind: mailbox), \(bind: holder), \(bind: until.timeIntervalSince1970))
                ON CONFLICT (mailbox) DO UPDATE SET holder = excluded.holder, until = excluded.until
                WHERE mail_fetch_leases.until < \(bind: now.timeIntervalSince1970) OR mail_fetch_leases.holder = excluded.holder
                """).run()
            let row = try await sql.raw("SELECT holder FROM mail_fetch_leases WHERE mailbox = \(bind: mailbox)").first()
            return try row?.decode(column: "holder", as: UUID.self) == holder
        }
    }

    /// Gives a lease up (a server stopping), so another server need not wait for it to run out.
    public func releaseFetchLease(_ mailbox: String, holder: UUID) async throws {
        try await write { db in
            try await db.sql.raw("DELETE FROM mail_fetch_leases WHERE mailbox = \(bind: mailbox) AND holder = \(bind: holder)").run()
        }
    }
}
