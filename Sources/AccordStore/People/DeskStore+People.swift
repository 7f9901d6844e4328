public import AccordCore
import FluentKit
import FluentSQL
public import Foundation

/// Changes to people over their time with the desk — role, tier, email, name, leaving and coming
/// back — each recorded in the person's history (and a customer's in their organization's too).
extension DeskStore {
    /// Changes a person as `change` says. Refused when the email is another person's, when the last
    /// active administrator would stop being one, or when promoting an authorized contact beyond
    /// `allowance` (billed as an overage where the plan sells extras and the fee is acknowledged).
    /// Demoting an authorized contact ends any overage billed for them.
    public func changePerson(_ personID: UUID, to change: PersonChange, allowance: ContactAllowance?, by actorID: UUID?, at instant: Date) async throws -> Person {
        try await writeUncaching { db in
            let person = try await Self.activePerson(personID, on: db, allowDeactivated: true)
            var changes: [String] = []
            if let name = change.name, name != person.name {
                changes.append("name \(person.name) → \(name)")
                person.name = name
            }
            if let email = change.email?.lowercased(), email != person.email {
                if try await PersonModel.query(on: db).filter(\.$email == email).filter(\.$id != personID).first() != nil {
                    throw StoreError.conflict("a person with email \(email) already exists")
                }
                changes.append("email \(person.email) → \(email)")
                person.email = email
            }
            var overage = false
            if let role = change.role, role.rawValue != person.role {
                if person.role == Role.admin.rawValue { try await Self.requireAnotherAdministrator(than: person, on: db) }
                if role == .authorizedContact, let allowance, let organizationID = person.$organization.id {
                    overage = try await Self.contactBeyondAllowance(in: organizationID, allowance: allowance, on: db)
                }
                if person.role == Role.authorizedContact.rawValue { person.billableOverage = false }
                if overage { person.billableOverage = true }
                changes.append("role \(person.role) → \(role.rawValue)\(overage ? ", beyond the plan's allowance: billable" : "")")
                person.role = role.rawValue
            }
            if let tier = change.tier, tier != person.tier {
                changes.append("tier \(person.tier.map(String.init) ?? "none") → \(tier.map(String.init) ?? "none")")
                person.tier = tier
            }
            guard !changes.isEmpty else { throw StoreError.conflict("nothing to change: \(person.email) is already so") }
            try await person.save(on: db)
            let detail = changes.joined(separator: "; ")
            try await Self.record(PersonEvent(at: instant, actorID: actorID, kind: "changed", detail: detail), of: person, on: db)
            if overage, let organizationID = person.$organization.id {
                try await Self.audit(OrganizationEvent(at: instant, actorID: actorID, kind: "billable-overage", value: personID.uuidString,
                                                       detail: "\(person.email) became an authorized contact beyond the plan's allowance: billable"),
                                     organizationID: organizationID, on: db)
            }
            return try person.record()
        }
    }

    /// Deactivates a person who leaves, perhaps for a while: they cannot sign in, their tokens are
    /// revoked, and staff give up their work — open cases go back to their queues, team places
    /// and account roles (TAM) are vacated. Their name stays on what they did, unlike an erasure.
    public func deactivate(_ personID: UUID, reason: String, by actorID: UUID?, at instant: Date) async throws -> Person {
        try await writeUncaching { db in
            let person = try await Self.activePerson(personID, on: db, allowDeactivated: false)
            if person.role == Role.admin.rawValue { try await Self.requireAnotherAdministrator(than: person, on: db) }
            person.deactivatedAt = instant
            try await person.save(on: db)
            try await TokenModel.query(on: db).filter(\.$person.$id == personID).delete()
            try await Self.closeSessions(of: personID, on: db)
            if person.$organization.id == nil {
                try await Self.releaseWork(of: personID, by: actorID, at: instant, why: "the assignee was deactivated", on: db)
            }
            try await Self.record(PersonEvent(at: instant, actorID: actorID, kind: "deactivated", detail: "deactivated: \(reason)"), of: person, on: db)
            return try person.record()
        }
    }

    /// Lets a deactivated person sign in again (with a new token); what they gave up stays given up.
    public func reactivate(_ personID: UUID, reason: String?, by actorID: UUID?, at instant: Date) async throws -> Person {
        try await writeUncaching { db in
            let person = try await Self.activePerson(personID, on: db, allowDeactivated: true)
            guard person.deactivatedAt != nil else { throw StoreError.conflict("\(person.email) is not deactivated") }
            person.deactivatedAt = nil
            try await person.save(on: db)
            try await Self.record(PersonEvent(at: instant, actorID: actorID, kind: "reactivated", detail: "reactivated" + (reason.map { ": \($0)" } ?? "")),
                                  of: person, on: db)
            return try person.record()
        }
    }

    /// A person's history, oldest first.
    public func history(ofPerson personID: UUID) async throws -> [PersonEvent] {
        try await database.sql.raw("""
            SELECT at, actor_id, kind, detail FROM person_events WHERE person_id = \(bind: personID) ORDER BY at, id
            """).all().map {
            PersonEvent(at: try $0.decode(column: "at", as: Date.self), actorID: try $0.decode(column: "actor_id", as: UUID?.self),
                        kind: try $0.decode(column: "kind", as: String.self), detail: try $0.decode(column: "detail", as: String.self))
        }
    }

    // MARK: Shared by the changes above and the erasure

    /// The person, unless erased (or deactivated, unless allowed).
    private static func activePerson(_ personID: UUID, on db: any Database, allowDeactivated: Bool) async throws -> PersonModel {
        guard let person = try await PersonModel.find(personID, on: db) else { throw StoreError.notFound("person \(personID)") }
        guard person.erasedAt == nil else { throw StoreError.conflict("\(person.email) was erased") }
        if !allowDeactivated, person.deactivatedAt != nil { throw StoreError.conflict("\(person.email) is already deactivated") }
        return person
    }

    /// Refuses a change that would leave the desk without an administrator who can sign in; checked
    /// in the changing transaction, so two such changes at once cannot both pass.
    static func requireAnotherAdministrator(than person: PersonModel, on db: any Database) async throws {
        let others = try await PersonModel.query(on: db).filter(\.$role == Role.admin.rawValue).filter(\.$erasedAt == nil)
            .filter(\.$deactivatedAt == nil).filter(\.$id != (try person.requireID())).count()
        guard others > 0 else {
            throw StoreError.conflict("\(person.email) is the last active administrator: make another administrator first, or nobody could manage the desk")
        }
    }

    /// Whether one more authorized contact in the organization is beyond `allowance`; refused when
    /// the plan sells no extras or the fee is not acknowledged.
    static func contactBeyondAllowance(in organizationID: UUID, allowance: ContactAllowance, on db: any Database) async throws -> Bool {
        let count = try await PersonModel.query(on: db).filter(\.$organization.$id == organizationID)
            .filter(\.$role == Role.authorizedContact.rawValue).filter(\.$erasedAt == nil).count()
        guard count >= allowance.included else { return false }
        guard allowance.extraAtFee else {
            throw StoreError.limit("the plan includes \(allowance.included) authorized contacts and all are taken; it offers no extra contacts")
        }
        guard allowance.feeAcknowledged else {
            throw StoreError.limit("the plan includes \(allowance.included) authorized contacts and all are taken; an extra contact is billed as an overage: send \"acknowledgeFee\": true to accept the fee")
        }
        return true
    }

    /// A staff member gives up their work: team places, account roles (each vacancy audited on the
    /// customer), advocacy, and their open cases, which go back to their queues with `why`.
    static func releaseWork(of personID: UUID, by actorID: UUID?, at instant: Date, why: String, on db: any Database) async throws {
        let sql = try db.sql
        try await sql.delete(from: "team_members").where("person_id", .equal, personID).run()
        for row in try await sql.raw("SELECT organization_id, role FROM account_roles WHERE person_id = \(bind: personID)").all() {
            let organizationID = try row.decode(column: "organization_id", as: UUID.self)
            let role = try row.decode(column: "role", as: String.self)
            try await audit(OrganizationEvent(at: instant, actorID: actorID, kind: "role-vacated", value: role,
                                              detail: "the \(role) left the provider; assign another"), organizationID: organizationID, on: db)
        }
        try await sql.delete(from: "account_roles").where("person_id", .equal, personID).run()
        try await sql.update("cases").set("advocate_id", to: SQLLiteral.null).where("advocate_id", .equal, personID).run()
        let returned = try await sql.raw("""
            SELECT id FROM cases WHERE assignee_id = \(bind: personID) AND status NOT IN ('resolved', 'closed')
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        for caseID in returned {
            let last = try await CaseEventModel.query(on: db).filter(\.$caseModel.$id == caseID).max(\.$sequence) ?? 0
            try await sql.insert(into: "case_events").columns("id", "case_id", "sequence", "at", "actor_id", "kind", "value", "body")
                .values([UUID.timeOrdered(), caseID, last + 1, instant, actorID, "unassigned", String?.none, "\(why): the case is back in its queue"]
                        as [any Encodable & Sendable]).run()
        }
        try await sql.update("cases").set("assignee_id", to: SQLLiteral.null).set("assigned_at", to: SQLLiteral.null)
            .set(SQLIdentifier("version"), to: SQLRaw("version + 1"))
            .where("assignee_id", .equal, personID).where("status", .notIn, ["resolved", "closed"]).run()
        try await recordLatestActivity(of: returned, at: instant, on: db)
    }

    /// Records `event` in the person's history, and a customer's in their organization's trail too.
    static func record(_ event: PersonEvent, of person: PersonModel, on db: any Database) async throws {
        let id = try person.requireID()
        try await db.sql.insert(into: "person_events").columns("id", "person_id", "at", "actor_id", "kind", "detail")
            .values([UUID.timeOrdered(), id, event.at, event.actorID, event.kind, event.detail] as [any Encodable & Sendable]).run()
        if let organizationID = person.$organization.id {
            try await audit(OrganizationEvent(at: event.at, actorID: event.actorID, kind: "person-\(event.kind)", value: id.uuidString,
                                              detail: "\(person.email): \(event.detail)"), organizationID: organizationID, on: db)
        }
    }
}
