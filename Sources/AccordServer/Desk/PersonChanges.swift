import AccordCore
import AccordStore
import Foundation

/// The people of the desk over time: adding the provider's staff, renaming a person or changing
/// their email, role or tier, and a person leaving (deactivated) and coming back. Customers'
/// people are managed by managers and administrators, the provider's staff by administrators
/// only. The API's `/people` and `/staff` routes and the console's pages both come here.
struct PersonChanges: Sendable {
    let store: DeskStore
    let catalog: PolicyCatalog
    let now: @Sendable () -> Date

    /// A member of staff, as the API's `POST /staff` body and the console's form give them.
    struct NewStaff: Sendable, Decodable {
        var name: String
        var email: String
        var role: String
        var tier: Int?

        static let fields: Set<String> = ["name", "email", "role", "tier"]
    }

    struct Edit: Sendable {
        var name: String?
        var email: String?
        var role: String?
        var tier: Int?
        /// Accepts the fee for an authorized contact beyond the plan's allowance.
        var acknowledgeFee: Bool = false
    }

    /// Adds a member of the provider's staff (administrators only); an agent works in a tier.
    func addStaff(_ new: NewStaff, by caller: Person) async throws -> Person {
        guard caller.role == .admin else { throw Problem(.forbidden, "this needs the role admin; you are \(caller.role.rawValue)") }
        guard let role = Role(rawValue: new.role), role.isStaff else {
            throw Problem(.unprocessableEntity, "role must be one of \(Role.staff.map(\.rawValue).sorted().joined(separator: ", "))", field: "role")
        }
        if let tier = new.tier { try Self.check(tier: tier) }
        if role == .agent, new.tier == nil { throw Problem(.unprocessableEntity, "an agent works in a tier: 1, 2 or 3", field: "tier") }
        try CustomerPeople.check(name: new.name, email: new.email)
        return try await store.createPerson(organizationID: nil, name: new.name, email: new.email, role: role, tier: new.tier, at: now())
    }

    /// Renames a person, changes their email, role or tier; what is given as it already is stays
    /// (nothing given differs: a conflict, "already so"). A customer's person moves between user
    /// and authorized contact (promotion checked against the plan's allowance, demotion ending any
    /// overage billed); staff move between the provider's roles.
    func edit(_ id: UUID, _ edit: Edit, by caller: Person) async throws -> Person {
        let person = try await manageable(id, by: caller)
        var change = PersonChange()
        if let name = edit.name {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw Problem(.unprocessableEntity, "name must not be empty", field: "name") }
            change.name = name
        }
        if let email = edit.email {
            guard CaseService.isEmail(email) else { throw Problem(.unprocessableEntity, "'\(email)' is not an email address", field: "email") }
            change.email = email
        }
        let staff = person.organizationID == nil
        if let text = edit.role {
            let choices: [Role] = staff ? Role.staff.sorted { $0.rawValue < $1.rawValue } : [.user, .authorizedContact]
            guard let role = Role(rawValue: text), choices.contains(role) else {
                throw Problem(.unprocessableEntity, "role must be one of \(choices.map(\.rawValue).joined(separator: ", ")) for \(staff ? "the provider's staff" : "a customer's person")",
                              field: "role")
            }
            change.role = role
        }
        if let tier = edit.tier {
            guard staff else { throw Problem(.unprocessableEntity, "a customer's person works in no tier", field: "tier") }
            try Self.check(tier: tier)
            change.tier = .some(tier)
        }
        if (change.role ?? person.role) == .agent, (edit.tier ?? person.tier) == nil {
            throw Problem(.unprocessableEntity, "an agent works in a tier: 1, 2 or 3", field: "tier")
        }
        guard change.name != nil || change.email != nil || change.role != nil || change.tier != nil else {
            throw Problem(.unprocessableEntity, "nothing to change: give a name, email, role or tier", field: "name")
        }
        if person.id == caller.id, let role = change.role, role != person.role {
            throw Problem(.conflict, "change another administrator's role, not your own while signed in")
        }
        var allowance: ContactAllowance?
        if change.role == .authorizedContact, let organizationID = person.organizationID, let organization = try await store.organization(organizationID) {
            allowance = try await catalog.contactAllowance(of: organization, at: now(), feeAcknowledged: edit.acknowledgeFee, store: store)
        }
        return try await store.changePerson(person.id, to: change, allowance: allowance, by: caller.id, at: now())
    }

    /// Deactivates a person who leaves (a reason is required): they cannot sign in and their
    /// tokens are revoked; staff give up their open cases, teams and account roles.
    func deactivate(_ id: UUID, reason: String?, by caller: Person) async throws -> Person {
        let person = try await manageable(id, by: caller)
        guard person.id != caller.id else { throw Problem(.conflict, "deactivate another administrator, not yourself while signed in") }
        guard let reason = try FreeText.optional(reason, "reason") else {
            throw Problem(.unprocessableEntity, "say why the person is deactivated (left the company, on leave…)", field: "reason")
        }
        return try await store.deactivate(person.id, reason: reason, by: caller.id, at: now())
    }

    /// Lets a deactivated person sign in again; they need a new token or password invitation.
    func reactivate(_ id: UUID, reason: String?, by caller: Person) async throws -> Person {
        let person = try await manageable(id, by: caller)
        return try await store.reactivate(person.id, reason: try FreeText.optional(reason, "reason"), by: caller.id, at: now())
    }

    /// The person, when the caller may manage them: managers and administrators a customer's
    /// people, administrators the provider's staff.
    func manageable(_ id: UUID, by caller: Person) async throws -> Person {
        guard [Role.manager, .admin].contains(caller.role) else {
            throw Problem(.forbidden, "this needs one of the roles admin, manager; you are \(caller.role.rawValue)")
        }
        guard let person = try await store.person(id), !person.erased else { throw StoreError.notFound("person \(id)") }
        if person.organizationID == nil, caller.role != .admin {
            throw Problem(.forbidden, "only administrators manage the provider's staff")
        }
        return person
    }

    static func check(tier: Int) throws {
        guard (1...3).contains(tier) else { throw Problem(.unprocessableEntity, "tier must be 1, 2 or 3", field: "tier") }
    }
}
