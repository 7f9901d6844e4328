import FluentKit
import FluentSQL
public import Foundation

extension DeskStore {
    /// The person with `email` who may sign in, with their password's bcrypt hash (nil: none set
    /// yet). Erased and deactivated people are not found.
    public func signInCandidate(email: String) async throws -> (person: Person, passwordHash: String?)? {
        guard let model = try await PersonModel.query(on: database).filter(\.$email == email.lowercased())
            .filter(\.$erasedAt == nil).filter(\.$deactivatedAt == nil).first() else { return nil }
        let row = try await database.sql.raw("SELECT password_hash FROM people WHERE id = \(bind: try model.requireID())").first()
        return (try model.record(), try row?.decode(column: "password_hash", as: String?.self))
    }

    /// Sets a person's password (its bcrypt hash, made by the caller), ends all their sessions —
    /// whoever knew the old password is signed out — and records who did it in their history.
    public func setPassword(of personID: UUID, hash: String, by actorID: UUID?, at instant: Date) async throws {
        try await write { db in
            guard let person = try await PersonModel.find(personID, on: db), person.erasedAt == nil else {
                throw StoreError.notFound("person \(personID)")
            }
            guard person.deactivatedAt == nil else { throw StoreError.conflict("\(person.email) is deactivated: reactivate them first") }
            try await Self.storePassword(hash, of: person, by: actorID, at: instant, on: db)
        }
    }

    /// Whether a person has a password set (people invited but not yet arrived have none).
    public func hasPassword(_ personID: UUID) async throws -> Bool {
        try await database.sql.raw("SELECT password_hash FROM people WHERE id = \(bind: personID)").first()?
            .decode(column: "password_hash", as: String?.self) != nil
    }

    static func storePassword(_ hash: String, of person: PersonModel, by actorID: UUID?, at instant: Date, on db: any Database) async throws {
        let personID = try person.requireID()
        try await db.sql.update("people").set("password_hash", to: hash).where("id", .equal, personID).run()
        try await closeSessions(of: personID, on: db)
        let detail = actorID == nil || actorID == personID ? "set their password" : "password set by another person"
        try await record(PersonEvent(at: instant, actorID: actorID, kind: "password-set", detail: detail), of: person, on: db)
    }

    /// Erasure: no password, sessions or invitations remain.
    static func forgetSignIn(of personID: UUID, on db: any Database) async throws {
        try await db.sql.update("people").set("password_hash", to: SQLLiteral.null).where("id", .equal, personID).run()
        try await closeSessions(of: personID, on: db)
        try await db.sql.delete(from: "invitations").where("person_id", .equal, personID).run()
    }
}
