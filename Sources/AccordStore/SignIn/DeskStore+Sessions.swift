import FluentKit
import FluentSQL
public import Foundation

extension DeskStore {
    /// Opens a browser session for a person who just proved who they are; returns its secret (for
    /// the cookie, stored only hashed) and the session. Erased and deactivated people get none.
    /// Ended sessions of anyone are deleted on the way, so the table holds live sessions only.
    public func openSession(for personID: UUID, limits: SessionLimits, address: String, at instant: Date) async throws -> (secret: String, session: WebSession) {
        guard let person = try await self.person(personID), !person.erased, !person.deactivated else {
            throw StoreError.conflict("this person cannot sign in")
        }
        let secret = Self.newSecret(prefix: "acs_")
        let csrf = Self.newSecret(prefix: "")
        let id = UUID.timeOrdered()
        let now = instant.timeIntervalSince1970
        try await write { db in
            // Sessions past either limit are forgotten as new ones open (one that is presented is at once).
            try await db.sql.raw("DELETE FROM web_sessions WHERE expires <= \(bind: now) OR seen <= \(bind: now - limits.idle)").run()
            try await db.sql.insert(into: "web_sessions")
                .columns("id", "secret_hash", "person_id", "csrf_token", "created", "seen", "expires", "address")
                .values([id, Self.hash(secret), personID, csrf, now, now, now + limits.absolute, String(address.prefix(64))] as [any Encodable & Sendable])
                .run()
        }
        return (secret, WebSession(id: id, person: person, csrfToken: csrf, created: instant, expires: instant.addingTimeInterval(limits.absolute)))
    }

    /// The live session a cookie's secret opens, or nil when there is none, it ran past either
    /// limit (then it is deleted), or its person can no longer sign in. Records the request at most
    /// once a minute, which is what keeps an active session from idling out.
    public func session(secret: String, limits: SessionLimits, at instant: Date) async throws -> WebSession? {
        let secretHash = Self.hash(secret)
        guard let row = try await database.sql.raw("""
            SELECT id, person_id, csrf_token, created, seen, expires FROM web_sessions WHERE secret_hash = \(bind: secretHash)
            """).first() else { return nil }
        let id = try row.decode(column: "id", as: UUID.self)
        let seen = try row.decode(column: "seen", as: Double.self)
        let expires = try row.decode(column: "expires", as: Double.self)
        let now = instant.timeIntervalSince1970
        if now >= expires || now - seen >= limits.idle {
            try await write { db in try await db.sql.delete(from: "web_sessions").where("id", .equal, id).run() }
            return nil
        }
        guard let person = try await self.person(try row.decode(column: "person_id", as: UUID.self)), !person.erased, !person.deactivated else {
            return nil
        }
        if now - seen >= SessionLimits.touchGranularity {
            try await write { db in try await db.sql.update("web_sessions").set("seen", to: now).where("id", .equal, id).run() }
        }
        return WebSession(id: id, person: person, csrfToken: try row.decode(column: "csrf_token", as: String.self),
                          created: Date(timeIntervalSince1970: try row.decode(column: "created", as: Double.self)),
                          expires: Date(timeIntervalSince1970: expires))
    }

    /// Ends the session the secret opens (signing out); nothing when there is none.
    public func closeSession(secret: String) async throws {
        let secretHash = Self.hash(secret)
        try await write { db in try await db.sql.delete(from: "web_sessions").where("secret_hash", .equal, secretHash).run() }
    }

    /// How many sessions a person has open (for their security page and tests).
    public func sessionCount(of personID: UUID) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM web_sessions WHERE person_id = \(bind: personID)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// Ends every session of a person (deactivation, erasure, a new password), in `db`'s transaction.
    static func closeSessions(of personID: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: "web_sessions").where("person_id", .equal, personID).run()
    }
}
