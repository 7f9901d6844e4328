import FluentKit
import FluentSQL
public import Foundation

/// A one-time link through which a person sets their password: who it is for, until when it works.
public struct Invitation: Sendable, Equatable {
    public let person: Person
    public let expires: Date
}

extension DeskStore {
    /// Invites a person to set a password: returns the secret of a one-time link (stored only
    /// hashed) that works until `expires`. Earlier unused invitations of the person stop working.
    public func invite(_ personID: UUID, by actorID: UUID?, expires: Date, at instant: Date) async throws -> String {
        let secret = Self.newSecret(prefix: "aci_")
        try await write { db in
            guard let person = try await PersonModel.find(personID, on: db), person.erasedAt == nil else {
                throw StoreError.notFound("person \(personID)")
            }
            guard person.deactivatedAt == nil else { throw StoreError.conflict("\(person.email) is deactivated: reactivate them before inviting them") }
            try await db.sql.delete(from: "invitations").where("person_id", .equal, personID).where("used", .is, SQLLiteral.null).run()
            // Links long expired or used are kept a month for questions, then forgotten.
            try await db.sql.raw("DELETE FROM invitations WHERE expires < \(bind: instant.timeIntervalSince1970 - 30 * 86_400)").run()
            try await db.sql.insert(into: "invitations").columns("id", "secret_hash", "person_id", "invited_by", "created", "expires")
                .values([UUID.timeOrdered(), Self.hash(secret), personID, actorID, instant.timeIntervalSince1970, expires.timeIntervalSince1970]
                        as [any Encodable & Sendable]).run()
            try await Self.record(PersonEvent(at: instant, actorID: actorID, kind: "invited",
                                              detail: "invited to set a password (the link works until \(ISO8601DateFormatter().string(from: expires)))"),
                                  of: person, on: db)
        }
        return secret
    }

    /// The invitation a link's secret opens while it still works (unused, unexpired, its person able to sign in).
    public func invitation(secret: String, at instant: Date) async throws -> Invitation? {
        guard let row = try await database.sql.raw("""
            SELECT person_id, expires FROM invitations
            WHERE secret_hash = \(bind: Self.hash(secret)) AND used IS NULL AND expires > \(bind: instant.timeIntervalSince1970)
            """).first() else { return nil }
        guard let person = try await self.person(try row.decode(column: "person_id", as: UUID.self)), !person.erased, !person.deactivated else {
            return nil
        }
        return Invitation(person: person, expires: Date(timeIntervalSince1970: try row.decode(column: "expires", as: Double.self)))
    }

    /// Uses an invitation: sets the password (its bcrypt hash) and marks the link used, in one
    /// transaction, so a link works once even when two browsers post it at the same moment.
    /// Returns the person, or nil when the link no longer works.
    public func acceptInvitation(secret: String, passwordHash: String, at instant: Date) async throws -> Person? {
        let secretHash = Self.hash(secret)
        let now = instant.timeIntervalSince1970
        return try await write { db in
            guard let row = try await db.sql.raw("""
                UPDATE invitations SET used = \(bind: now)
                WHERE secret_hash = \(bind: secretHash) AND used IS NULL AND expires > \(bind: now)
                RETURNING person_id
                """).first() else { return nil }
            guard let person = try await PersonModel.find(try row.decode(column: "person_id", as: UUID.self), on: db),
                  person.erasedAt == nil, person.deactivatedAt == nil else { return nil }
            try await Self.storePassword(passwordHash, of: person, by: try person.requireID(), at: instant, on: db)
            return try person.record()
        }
    }
}
